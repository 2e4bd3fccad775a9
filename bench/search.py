"""Size against time for golfkit's search stage: does a longer budget pay?

One build (a program, with any `golfkit build` flags after ``--``), searched for ``--seconds``,
printed as a table of the shipped size after each verified batch, with a PNG plot of the same:

    python bench/search.py reference/microgpt.py --seconds 300 --png search.png -- --set num_steps=20
    python bench/search.py reference/microgpt.py --seconds 900 -- --quick-set num_steps=30
    python bench/search.py --report build/chars/report.json --png search.png   # a build made before

``--corpus N`` builds the first N programs of tests/corpus (or every one) twice instead, without
the search and with it, and prints each shipped size, the median change and the wrong results
(a result is checked by running it again outside the build with ``golfkit verify``):

    python bench/search.py --corpus 20 --seconds 30

The PNG needs matplotlib (``pip install matplotlib``); without it the table is still printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLFKIT = [sys.executable, "-m", "golfkit"]


def build(program: Path, out_dir: Path, cache_dir: Path, seconds: float, flags: list[str]) -> dict:
    """The report of ``golfkit build`` on ``program`` with a search budget (0: no search)."""
    command = [*GOLFKIT, "build", str(program), "--out-dir", str(out_dir), "--cache-dir", str(cache_dir),
               "--search-seconds", str(seconds), "-q", "--json", *flags]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{program.name}: golfkit build failed ({done.returncode}): "
                           f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    return json.loads(done.stdout)


def shipped(report: dict) -> int:
    """The build's shipped size: the packed file's, else the final text's, in the target's unit."""
    final = report["final"]
    return final["chars"] if report["target"] == "chars" else final["bytes"]


def verified_outside(report: dict, folder: Path, program: Path) -> bool:
    final = folder / report["final"]["file"]
    command = [*GOLFKIT, "verify", str(final), "--reference", str(program)]
    return subprocess.run(command, capture_output=True, cwd=ROOT).returncode == 0


def one_build(args) -> int:
    if args.report is not None:
        report = json.loads(args.report.read_text("utf-8"))
    else:
        with tempfile.TemporaryDirectory(prefix="golfkit-bench-search-") as scratch:
            report = build(args.program, Path(scratch) / "out", args.cache_dir or Path(scratch) / "cache",
                           args.seconds, args.flags)
    search = report.get("search") or {}
    timeline = search.get("timeline") or []
    print(f"{report['source']}: --target {report['target']}, search took {search.get('seconds', 0):.0f} s, "
          f"quick oracle: {search.get('quick_oracle', 'n/a')}")
    print(f"{'seconds':>9}  {'shipped':>8}  {'change':>7}")
    start = timeline[0][1] if timeline else shipped(report)
    for seconds, size in timeline:
        print(f"{seconds:9.1f}  {size:8d}  {size - start:+7d}")
    print(f"final (packed): {shipped(report)} {report['target']}; "
          f"tried {search.get('tried', 0)}, shorter {search.get('shorter', 0)}, "
          f"passed the screen {search.get('quick_passed', 0)}, kept {search.get('kept', 0)}")
    for kind, figures in sorted((search.get("by_kind") or {}).items(), key=lambda item: -item[1]["kept"]):
        print(f"  {kind:24} shorter {figures['shorter']:4d}  passed {figures['passed']:3d}  kept {figures['kept']:3d}")
    if args.png:
        plot(timeline, args.png, f"{Path(report['source']).name} ({report['target']})")
    return 0


def plot(timeline: list, path: Path, title: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot
    except ImportError:
        print("no PNG: matplotlib is not installed (pip install matplotlib)")
        return
    figure, axes = pyplot.subplots(figsize=(7, 4))
    if timeline:
        seconds, sizes = zip(*timeline)
        axes.step(seconds, sizes, where="post", marker="o")
    axes.set_xlabel("seconds into the search")
    axes.set_ylabel("shipped size after each verified batch")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    print(f"plot: {path}")


def corpus(args) -> int:
    programs = sorted((ROOT / "tests" / "corpus").glob("*.py"))[: args.corpus or None]
    flags = ["--assume-no-input", *(["--no-pack"] if args.no_pack else []), *args.flags]
    changes, wrong = [], []
    print(f"{'program':32} {'no search':>9} {'search':>7} {'change':>7}")
    with tempfile.TemporaryDirectory(prefix="golfkit-bench-search-") as scratch:
        cache = args.cache_dir or Path(scratch) / "cache"
        for program in programs:
            try:
                plain = build(program, Path(scratch) / "plain", cache, 0, flags)
                searched = build(program, Path(scratch) / "searched", cache, args.seconds, flags)
            except RuntimeError as error:
                print(f"{program.name:32} {error}")
                continue
            before, after = shipped(plain), shipped(searched)
            change = (after - before) / before
            changes.append(change)
            folder = Path(scratch) / "searched" / report_folder(searched)
            if not verified_outside(searched, folder, program):
                wrong.append(program.name)
            print(f"{program.name:32} {before:9d} {after:7d} {change:+7.1%}")
    if changes:
        print(f"median change {statistics.median(changes):+.1%} over {len(changes)} programs; "
              f"wrong results: {len(wrong)} {wrong if wrong else ''}")
    return 1 if wrong else 0


def report_folder(report: dict) -> str:
    return report["target"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", type=Path, nargs="?", default=ROOT / "reference" / "microgpt.py")
    parser.add_argument("--seconds", type=float, default=300.0, help="the search budget")
    parser.add_argument("--png", type=Path, help="write the size-against-time plot here")
    parser.add_argument("--report", type=Path, help="read this build's report.json instead of building")
    parser.add_argument("--cache-dir", type=Path, help="default: a fresh folder (a cold build)")
    parser.add_argument("--corpus", type=int, nargs="?", const=0, help="the corpus comparison (N programs; all)")
    parser.add_argument("--no-pack", action="store_true", help="corpus: compare unpacked results")
    parser.add_argument("flags", nargs="*", help="golfkit build flags, after --")
    args = parser.parse_args()
    return corpus(args) if args.corpus is not None else one_build(args)


if __name__ == "__main__":
    sys.exit(main())
