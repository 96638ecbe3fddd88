#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite.
# Used as is by CI (.ci/run). Extra arguments go to pytest, e.g. `bash scripts/test.sh -k serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# System packages: Debian's Chromium for the browser tests (no browser downloads),
# Java for the W3C Nu HTML checker, Node's npm for axe-core.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The package itself, installed (not editable) with its test extras, as a user would get it.
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check '.[test]'

# axe-core for the accessibility tests, from the npm registry, at the version package-lock.json pins.
if [ -f package.json ]; then npm ci --silent --no-audit --no-fund; fi

# pytest exits 5 when it collected no test: that is a failure here, as any non-zero exit is.
exec .venv/bin/pytest "$@"
