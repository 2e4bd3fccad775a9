#!/usr/bin/env bash
# Set-up, then the whole test suite, the slow full-run tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
# The slow microgpt builds pre-check intermediates under PyPy when it is there: ask for it.
GOLFKIT_WITH_PYPY=1 bash scripts/setup.sh
# Two workers; each test module stays on one worker so the slow module shares its run cache.
exec .venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadfile "$@"
