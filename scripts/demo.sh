#!/usr/bin/env bash
# The end-to-end demo: build a model from source, prove it reproducible, export it, evaluate
# it, run the bazaar loop (three contributions, review, merge), release and audit it.
# Everything happens under ./demo (removed first); keys stay in ./demo/keys.
#   scripts/demo.sh                 the `quick` template (1M parameters): make demo, minutes
#   scripts/demo.sh shakespeare     the 4M-parameter walk-through: make demo-full, ~25 minutes
set -euo pipefail
template="${1:-quick}"
here="$(cd "$(dirname "$0")/.." && pwd)"
demo="$here/demo"
rm -rf "$demo"
mkdir -p "$demo"
export BAZAAR_KEYS="$demo/keys/default"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

SECONDS=0
step "1. init: a model source from the $template template"
bazaar init "$demo/$template" --template "$template"
cd "$demo/$template"

step "2. build: tokenizer -> token streams -> pretraining"
bazaar build

step "3. build again: nothing changed, every stage is a cache hit"
time bazaar build

step "4. generate"
bazaar generate main "ROMEO:" --max-new-tokens 120 --temperature 0.8 --seed 1

step "5. verify: rebuild from source in a scratch store and compare bit for bit"
bazaar verify main

step "6. export to a Hugging Face folder"
bazaar export main "$demo/export"
ls "$demo/export"

if [ -f "$here/scripts/demo_loop.sh" ]; then
  # shellcheck source=/dev/null
  source "$here/scripts/demo_loop.sh"
fi

step "log: the history of main"
bazaar log
printf '\n\033[1mdemo finished in %dm%02ds\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60))
