#!/usr/bin/env bash
# Set-up, then the test suite: everything, the slow full microgpt builds included (what CI runs),
# or with --fast everything but the slow tier, for everyday work. Ends with the run's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
tier="whole suite"
marker=()
if [ "${1:-}" = "--fast" ]; then
  shift
  tier="fast tier (no slow tests)"
  marker=(-m "not slow")
fi
started=$SECONDS
bash scripts/setup.sh
# Two workers, each module on one worker, in collection order (tests/conftest.py puts the slow tier
# first, split over both workers, sharing one run cache).
status=0
.venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder "${marker[@]}" "$@" || status=$?
elapsed=$((SECONDS - started))
echo "test.sh: $tier finished in $((elapsed / 60)) min $((elapsed % 60)) s (exit status $status)"
exit $status
