#!/usr/bin/env bash
# Quickstart, command 2: install everything, then run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup/install.sh
npm run lint
npm run typecheck
# What other repositories get: publint + knip on the packed tarballs, the API reference (warnings are errors),
# then the tarballs installed into a fresh project and a fresh Nx workspace (tools/release/).
npm run check:packages -- --no-build
# TypeDoc is single-threaded and the consumer check mostly waits on npm and Python: run them side by side.
docs_log=$(mktemp)
npm run docs >"$docs_log" 2>&1 &
docs_pid=$!
npm run check:consumer -- --no-build
if ! wait "$docs_pid"; then
  cat "$docs_log"
  echo "npm run docs failed: the API reference has warnings (TypeDoc treats them as errors here)" >&2
  exit 1
fi
echo "npm run docs: $(tail -n 1 "$docs_log")"
# Every test really runs here (no replay from Nx's cache of an earlier run on this machine), on the builds
# install.sh just made (test:ci does not rebuild them).
npm run test:ci
