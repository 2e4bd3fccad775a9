#!/usr/bin/env bash
# Set-up, then golf the reference: build/chars/femtogpt.py (verified, full log parity).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/golfkit build --target chars "$@"
