#!/usr/bin/env bash
# Quickstart, command 2: install everything, then run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup/install.sh
npm run lint
npm run typecheck
# Every test really runs here (no replay from Nx's cache of an earlier run on this machine).
npm run test:ci
