"""How much golfkit's result depends on the phrasing of its input: the reference and every other
phrasing of it in tests/programs/microgpt_phrasings/ (same program, same output, written
differently), each as a quick build, side by side:

    python bench/phrasings.py [--target chars] [--num-steps 20] [--jobs 2] [--search-seconds S]

Prints per program its source size, the golfed size (the last verified stage, unpacked), the
shipped size (the packed file) and the gap of the shipped size to the reference's, in the
target's unit. Builds run one after another; the run cache (``--cache-dir``) is shared. With
``--search-seconds S`` every build ends with the same search stage (S seconds each, the
``--seed`` given), so the table shows how far one search budget takes each phrasing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHRASINGS = ROOT / "tests" / "programs" / "microgpt_phrasings"
GOLFKIT = [sys.executable, "-m", "golfkit"]


def build(program: Path, args: argparse.Namespace, out_dir: Path) -> dict:
    """The report of a quick ``golfkit build`` of ``program``."""
    command = [*GOLFKIT, "build", str(program), "--set", f"num_steps={args.num_steps}", "--target", args.target,
               "--jobs", str(args.jobs), "--out-dir", str(out_dir), "--cache-dir", str(args.cache_dir), "-q", "--json"]
    if args.search_seconds:
        command += ["--search-seconds", str(args.search_seconds), "--seed", str(args.seed)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{program.name}: golfkit build failed ({done.returncode}): "
                           f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    return json.loads(done.stdout)


def golfed_size(report: dict, target: str) -> int:
    """The size of the last verified stage before packing (the source's when none was kept)."""
    stages = [s for s in report["stages"] if s["name"] != "pack" and s["verdict"] in ("verified", "partial")]
    return stages[-1][target] if stages else report["reference"][target]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=("chars", "bytes"), default="chars")
    parser.add_argument("--num-steps", type=int, default=20, help="num_steps of every quick build")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=None, help="run cache (default: a scratch folder)")
    parser.add_argument("--search-seconds", type=float, default=0, help="search budget of every build (default: no search)")
    parser.add_argument("--seed", type=int, default=0, help="the search's seed")
    parser.add_argument("--out-dir", type=Path, default=None, help="keep the builds here (default: a scratch folder)")
    args = parser.parse_args()
    programs = [ROOT / "reference" / "microgpt.py", *sorted(PHRASINGS.glob("*.py"))]
    with tempfile.TemporaryDirectory() as scratch:
        args.cache_dir = args.cache_dir or Path(scratch) / "cache"
        out_root = args.out_dir or Path(scratch) / "out"
        rows = []
        for program in programs:
            report = build(program, args, out_root / program.stem)
            rows.append((program.stem if rows else "reference", report["reference"][args.target], golfed_size(report, args.target),
                         report["final"][args.target]))
            print(f"built {program.stem}", file=sys.stderr)
    unit, reference = args.target, rows[0][3]
    search = f", search {args.search_seconds:g} s each (seed {args.seed})" if args.search_seconds else ""
    print(f"quick builds (num_steps={args.num_steps}){search}, --target {unit}; sizes in {unit}")
    print(f"{'program':12s} {'source':>7s} {'golfed':>7s} {'shipped':>7s} {'vs reference':>13s}")
    for name, source, golfed, shipped in rows:
        print(f"{name:12s} {source:7d} {golfed:7d} {shipped:7d} {100 * (shipped - reference) / reference:+12.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
