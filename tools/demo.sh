#!/usr/bin/env bash
# Quickstart, command 1: install everything, then run the end-to-end demo on the embedded emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup/install.sh
npm run demo
