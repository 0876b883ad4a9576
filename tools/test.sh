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
npm run docs
npm run check:consumer -- --no-build
# Every test really runs here (no replay from Nx's cache of an earlier run on this machine).
npm run test:ci
