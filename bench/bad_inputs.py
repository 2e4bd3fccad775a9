"""Run every reliability case through the installed `golfkit` and print one line per case.

Each line: the case, the expected and actual exit codes, PASS or FAIL, golfkit's one-line message,
and whether anything outside the build folder changed (the user's files, the cache beyond new
valid entries). The cases live in tests/reliability_cases.py. Ends with `N passed, M failed`;
exits 1 when any case failed. Usage:

    python bench/bad_inputs.py [--only NAME[,NAME...]] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability_cases import CASES, cheap_passes, golfkit_command, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Comma-separated case names.")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folders and say where.")
    args = parser.parse_args()

    wanted = set(args.only.split(",")) if args.only else None
    cases = [case for case in CASES if wanted is None or case.name in wanted]
    if wanted and len(cases) != len(wanted):
        parser.error(f"unknown cases: {', '.join(sorted(wanted - {case.name for case in CASES}))}")
    command, passes = golfkit_command(), cheap_passes()
    print(f"golfkit: {' '.join(command)}; passes for builds: {passes or '(none yet: empty pipeline)'}")
    scratch = Path(tempfile.mkdtemp(prefix="golfkit-bad-inputs-"))
    started = time.perf_counter()
    passed = failed = 0
    try:
        for case in cases:
            result = run_case(case, scratch, command, passes)
            print(result.line(), flush=True)
            passed += result.passed
            failed += not result.passed
    finally:
        if args.keep:
            print(f"scratch folders kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed ({time.perf_counter() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
