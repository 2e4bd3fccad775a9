#!/usr/bin/env bash
# Set-up, then golf the reference: build/chars/femtogpt.py (verified, full log parity).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
bash scripts/setup.sh
.venv/bin/golfkit build --target chars "$@"
echo "build.sh: done in $((SECONDS - started)) s; each pass: .venv/bin/golfkit report; what one pass changed: .venv/bin/golfkit diff PASS"
