# Sourced by scripts/demo.sh from inside the built model source: evaluate, then the bazaar loop
# (three contributions -> review -> merge the accepted one), a data donation (review, merge,
# build), then release and audit.

step "7. eval: validation perplexity and the safety smoke suite, with a report"
bazaar eval main --suite validation --suite safety_smoke --report "$demo/eval-report"

step "8. identity: an ed25519 key pair for signing contributions, trusted by this model"
bazaar keys generate
bazaar keys trust   # nobody is trusted until listed: review refuses bundles from unknown keys

step "9. three contributors fine-tune LoRA adapters on their own data"
bazaar contribute --data contributions/gsm8k/train.jsonl --task gsm8k --license MIT \
  --include-data --out "$demo/gsm8k.bazaar" --lora lr=2e-4
bazaar contribute --data contributions/alpaca/train.jsonl --task alpaca --license CC-BY-NC-4.0 \
  --out "$demo/alpaca.bazaar" --lora steps=20
bazaar contribute --data contributions/noise/train.txt --task noise --license CC0-1.0 \
  --include-data --out "$demo/noise.bazaar" --lora lr=0.05 --lora steps=40

step "10. review: the model's CI — capability, safety, licence, integrity"
review() {  # exit 1 means "rejected": expected for two of the three; 2 refused, 70 crashed
  local bundle=$1 expected=$2 status=0
  bazaar review "$demo/$bundle.bazaar" --report "$demo/review-$bundle" || status=$?
  local verdict=accept
  [ "$status" -eq 1 ] && verdict=reject
  [ "$status" -gt 1 ] && { echo "review of $bundle failed (exit $status)"; exit "$status"; }
  printf '\033[1m%s: %s (expected %s)\033[0m\n' "$bundle" "$verdict" "$expected"
}
review gsm8k accept
review alpaca reject
review noise reject

step "11. merge the accepted contribution into main (reviewed again before main moves)"
bazaar merge "$demo/gsm8k.bazaar" --method ties
bazaar verify main

step "12. a contributor donates data: the GSM8K word problems themselves (MIT)"
bazaar contribute --kind data --data contributions/gsm8k/train.jsonl --license MIT \
  --provenance human --source "openai/grade-school-math, see contributions/gsm8k/SOURCE.txt" \
  --consent "Published by OpenAI under MIT; donated as published" --out "$demo/gsm8k-data.bazaar"
donation=0  # the data's CI: licence, duplicates, contamination, PII, language, trial, synthetic
bazaar review "$demo/gsm8k-data.bazaar" --report "$demo/review-gsm8k-data" || donation=$?
[ "$donation" -gt 1 ] && { echo "review of the donation failed (exit $donation)"; exit "$donation"; }
if [ "$donation" -eq 0 ]; then
  bazaar merge "$demo/gsm8k-data.bazaar"   # data/ gets the files + a manifest: a source revision
  bazaar build                             # ref `built` trains on it (main keeps its merge)
fi

step "13. release with model card, datasheet, licences, lineage and openness report"
bazaar release main "$demo/release" --license Apache-2.0
bazaar audit "$demo/release" --out "$demo/audit-report"
bazaar audit main --out "$demo/audit-main"
