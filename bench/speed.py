"""Verification speed figures for one machine, side by side in one run (issue: verification speed).

Prints: T_ref (one uncached reference run), the cold build's wall time and its ratio to T_ref next
to the goal (ceil(distinct candidates / cores) + 1) x T_ref, runs made, warm rebuild time, time
to reject a deliberately broken pass, and the final program's runtime and peak memory as ratios
to the reference's. Usage:

    python bench/speed.py [--source reference/microgpt.py] [--target chars] [--set num_steps=30]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from golfkit.build import Builder  # noqa: E402
from golfkit.options import Options  # noqa: E402
from golfkit.overrides import apply_overrides, parse_assignment  # noqa: E402
from golfkit.passes import default_pipeline  # noqa: E402
from golfkit.runner import RunLimits, RunSpec, run_program  # noqa: E402
from golfkit.source import resolve_dataset  # noqa: E402
from tests.passes_for_tests import SwapStatementsPass  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "reference" / "microgpt.py")
    parser.add_argument("--data", type=Path, default=ROOT / "input.txt")
    parser.add_argument("--target", default="chars")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    overrides = tuple(parse_assignment(item) for item in args.overrides)
    dataset = resolve_dataset(args.data, explicit=False)
    source = apply_overrides(args.source.read_text(), overrides)

    def timed_run(program: bytes, name: str):
        return run_program(RunSpec(program, name, dataset), limits=RunLimits(timeout=7200))

    reference = timed_run(source.encode(), args.source.name)
    t_ref = reference.elapsed
    print(f"T_ref (one reference run): {t_ref:.1f} s, peak {reference.peak_memory_kb} KiB")

    with tempfile.TemporaryDirectory() as scratch:
        cache_dir, out_dir = Path(scratch) / "cache", Path(scratch) / "build"
        options = Options(source=args.source, target=args.target, out_dir=out_dir, cache_dir=cache_dir,
                          jobs=args.jobs, overrides=overrides)
        started = time.perf_counter()
        cold = Builder(options, dataset=dataset).build()
        cold_seconds = time.perf_counter() - started
        distinct = cold.report["runs_made"]
        goal = (math.ceil(max(distinct - 2, 0) / args.jobs) + 1) * t_ref
        print(f"cold build: {cold_seconds:.1f} s = {cold_seconds / t_ref:.2f} x T_ref; "
              f"runs made {distinct} (2 of them the reference pair); "
              f"goal (ceil({distinct - 2} / {args.jobs}) + 1) x T_ref = {goal:.1f} s: "
              f"{'met' if cold_seconds <= goal else 'missed'}")

        started = time.perf_counter()
        warm = Builder(options, dataset=dataset).build()
        print(f"warm rebuild: {time.perf_counter() - started:.1f} s, runs made {warm.report['runs_made']}")

        broken = [SwapStatementsPass(), *default_pipeline(("strip",))]
        started = time.perf_counter()
        rejected = Builder(options.replace(max_rounds=1, pack=False), dataset=dataset, passes=broken).build()
        swap = rejected.report["stages"][0]
        print(f"broken pass ({swap['name']}): {swap['verdict']} in {swap['pass_seconds'] + (swap['run_seconds'] or 0):.1f} s "
              f"of its stage, whole build {time.perf_counter() - started:.1f} s")

        final = cold.final_path.read_bytes()
        result = timed_run(final, args.source.name)
        print(f"final {cold.final_path.name}: {cold.report['final']['chars']} chars, {len(final)} bytes; "
              f"runtime {result.elapsed / t_ref:.3f} x reference, peak memory "
              f"{result.peak_memory_kb / reference.peak_memory_kb:.3f} x reference")


if __name__ == "__main__":
    main()
