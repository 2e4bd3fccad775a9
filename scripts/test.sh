#!/usr/bin/env bash
# Set-up, then the whole test suite, the slow full-run tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
