#!/usr/bin/env bash
# Regenerates the shipped MNIST reproduction (REPRODUCTION.md): the reference runs of cnn3 with the
# shipped recipe (SGD with momentum) and with Adam beside it, the gap model fit on the SGD runs with
# its plots, and the figures REPRODUCTION.md quotes. About 45 minutes on 2 CPU cores with the
# tensorflow backend. Resumable: a stopped sweep continues where it stopped when rerun.
# With FRESH=1 the runs files are written anew.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm run setup:tfjs-node   # the tensorflow backend: about 8x faster training than wasm
sparsity_gap() { npx tsx src/cli/main.ts "$@"; }
if [[ "${FRESH:-0}" == 1 ]]; then rm -f data/reference-runs/mnist-cnn3.jsonl data/reference-runs/mnist-cnn3-adam.jsonl; fi

time sparsity_gap sweep --dataset mnist --grid mnist-cnn3 --out data/reference-runs/mnist-cnn3.jsonl \
  --concurrency 2 --backend tensorflow
time sparsity_gap sweep --dataset mnist --grid mnist-cnn3-adam --out data/reference-runs/mnist-cnn3-adam.jsonl \
  --concurrency 2 --backend tensorflow

# The shipped model: trajectory points (see REPRODUCTION.md for why), and the paper's final-points fit
# beside it for comparison (written to a scratch directory, not shipped).
sparsity_gap fit data/reference-runs/mnist-cnn3.jsonl --out config/gap-models/mnist-cnn3.json --points trajectory
mkdir -p "${TMPDIR:-/tmp}/sgm-final"
sparsity_gap fit data/reference-runs/mnist-cnn3.jsonl --out "${TMPDIR:-/tmp}/sgm-final/mnist-cnn3-final.json" --points final
sparsity_gap fit data/reference-runs/mnist-cnn3-adam.jsonl --out "${TMPDIR:-/tmp}/sgm-final/mnist-cnn3-adam.json" \
  --points trajectory --no-plots

npx tsx scripts/reproduction-stats.ts data/reference-runs/mnist-cnn3.jsonl data/reference-runs/mnist-cnn3-adam.jsonl \
  --model config/gap-models/mnist-cnn3.json
