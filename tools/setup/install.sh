#!/usr/bin/env bash
# Installs everything terra-vertex needs on a fresh Debian machine: the Python packages trainers run on
# (Debian's, never pip), then the npm workspace (which brings Node 22 as the `node` devDependency), then
# builds the packages. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

DEBIAN_PACKAGES=(python3 python3-pip python3-setuptools python3-numpy python3-sklearn python3-xgboost python3-torch
  python3-nbclient python3-nbconvert python3-jupyter-client python3-ipykernel
  python3-pil python3-skimage fonts-dejavu-core chromium)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "==> Installing npm packages"
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "    (node_modules is up to date)"
else
  npm ci --no-audit --no-fund --loglevel=error
fi

# npm scripts run on the Node 22 that the `node` devDependency installs (its preinstall is approved in
# package.json "allowScripts"); the system Node may be older.
node_major=$(npm exec -- node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  echo "error: npm scripts run on Node $node_major, but terra-vertex needs Node >= 22 (the 'node' devDependency did not install; rerun npm ci)" >&2
  exit 1
fi

echo "==> Building"
npx nx run-many -t build --outputStyle=static
