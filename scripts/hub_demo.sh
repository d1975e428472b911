#!/usr/bin/env bash
# The hub demo: a community builds a model together on one machine.
# A hub on 127.0.0.1; a maintainer pushes the tiny model; two contributors clone it, train
# adapters and submit them; a CI worker reviews them; the maintainer approves and asks the hub
# to merge; a third user clones the merged model and verifies it bit for bit.
# Everything happens under ./hub-demo (removed first). Each person has their own HOME-like
# config (login token) and key, as on their own laptop.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
demo="$here/hub-demo"
rm -rf "$demo"
mkdir -p "$demo"
port="${HUB_DEMO_PORT:-8765}"
hub="http://127.0.0.1:$port"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
# as NAME CMD...: run CMD as that person (their login config and signing key)
as() { local who="$1"; shift; XDG_CONFIG_HOME="$demo/people/$who/config" \
  BAZAAR_KEYS="$demo/people/$who/keys/default" "$@"; }
server_pid=""
worker_pid=""
cleanup() {
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

SECONDS=0
step "1. the hub's admin creates accounts (on the server machine) and starts the hub"
for who in maintainer contributor1 contributor2 carol; do
  bazaar hub user add "$who" --data "$demo/hub"
done
bazaar hub user add ci --worker --data "$demo/hub"
for who in maintainer contributor1 contributor2 carol ci; do
  bazaar hub token create "$who" --data "$demo/hub" 2>/dev/null | tail -1 > "$demo/$who.token"
done
bazaar hub serve --data "$demo/hub" --port "$port" > "$demo/hub.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do   # up to 3 minutes: a busy machine imports slowly
  curl -sf "$hub/api/v1/health" > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$demo/hub.log"; exit 1; }
  sleep 0.3
done
curl -sf "$hub/api/v1/health" || { echo "the hub did not start; see $demo/hub.log"; exit 1; }
echo

step "2. the maintainer builds the tiny model and pushes it (the first push creates it)"
cd "$demo"
as maintainer bazaar keys generate
as maintainer bazaar login "$hub" --token "$(cat "$demo/maintainer.token")"
as maintainer bazaar init tiny --template tiny
echo "limit = 16" >> tiny/bazaar.toml    # [policy]: review 16 examples per suite (fast demo)
as maintainer bazaar build -C tiny
as maintainer bazaar push "$hub/models/tiny" -C tiny
as maintainer bazaar member add contributor1 --role contributor -C tiny
as maintainer bazaar member add contributor2 --role contributor -C tiny

step "3. two contributors clone it, train an adapter each on their own data, and submit"
ids=()
for who in contributor1 contributor2; do
  as "$who" bazaar keys generate
  as "$who" bazaar login "$hub" --token "$(cat "$demo/$who.token")"
  as "$who" bazaar clone "$hub/models/tiny" "$who-tiny"
done
python3 - "$demo" <<'PY'
import sys, pathlib
demo = pathlib.Path(sys.argv[1])
text = (demo / "contributor1-tiny/data/tinyshakespeare/train.txt").read_text()
(demo / "verse.txt").write_text(text[20_000:40_000])
(demo / "prose.txt").write_text(text[60_000:80_000])
PY
for pair in "contributor1 verse" "contributor2 prose"; do
  set -- $pair
  as "$1" bazaar contribute -C "$1-tiny" --data "$demo/$2.txt" --task "$2" --license CC0-1.0 \
    --include-data --lora steps=30 --lora lr=0.01 --out "$demo/$2.bazaar"
  line="$(as "$1" bazaar submit "$demo/$2.bazaar" -C "$1-tiny")"
  echo "$line"
  ids+=("$(echo "$line" | awk '{print $2}')")
done

step "4. a CI worker claims the review jobs and runs the same review as \`bazaar review\`"
bazaar hub worker --hub "$hub" --token "$(cat "$demo/ci.token")" --work "$demo/worker" --once
as contributor1 bazaar contributions -C contributor1-tiny

step "5. the maintainer approves both (a signature over each bundle) and asks for a merge"
for id in "${ids[@]}"; do
  as maintainer bazaar approve "$id" -C tiny
done
bazaar hub worker --hub "$hub" --token "$(cat "$demo/ci.token")" --work "$demo/worker" \
  --poll 0.5 > "$demo/worker.log" 2>&1 &
worker_pid=$!
as maintainer bazaar merge --remote origin "${ids[@]}" --method ties -C tiny
as maintainer bazaar log --remote origin -C tiny
as maintainer bazaar contributions -C tiny

step "6. a third user clones the merged model and verifies it bit for bit"
as carol bazaar login "$hub" --token "$(cat "$demo/carol.token")"
as carol bazaar clone "$hub/models/tiny" carol-tiny
as carol bazaar log -C carol-tiny
as carol bazaar verify main -C carol-tiny

printf '\n\033[1mhub demo finished in %dm%02ds\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60))
