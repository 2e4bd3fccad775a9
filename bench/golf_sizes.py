"""Size figures: python-minifier at its most aggressive vs golfkit's verified result, per pass;
and, with ``--objectives``, the shipped size by each objective side by side.

Reads the last build's report (``build/<target>/report.json``, written by ``golfkit build``) and
prints the reference's size, python-minifier's best, golfkit's verified unpacked result, its
saving against python-minifier, the per-pass deltas, and the packed file. Usage:

    python bench/golf_sizes.py [--target chars] [--out-dir build]

``--objectives`` builds instead, per target, with ``--objective raw`` (a stage kept when the raw
text shrinks) and ``--objective shipped`` (when the packed file shrinks): the reference as a quick
build (``--set num_steps=20``) and every corpus program (``--corpus N``: the first N), and prints
the shipped sizes side by side, the corpus's median and worst difference, and the largest growth
of the deflate size any kept stage of the reference made:

    python bench/golf_sizes.py --objectives [--targets chars,bytes] [--corpus 50] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import python_minifier
from python_minifier import RemoveAnnotationsOptions

ROOT = Path(__file__).resolve().parent.parent


def most_aggressive_minifier(source: str) -> str:
    """python-minifier with every option that shortens turned on, single-line preference tried
    both ways; the shorter wins."""
    results = []
    for single_line in (False, True):
        results.append(python_minifier.minify(
            source,
            remove_annotations=RemoveAnnotationsOptions(True, True, True, True),
            remove_pass=True, remove_literal_statements=True, combine_imports=True, hoist_literals=True,
            rename_locals=True, rename_globals=True, remove_object_base=True, convert_posargs_to_args=True,
            preserve_shebang=False, remove_asserts=True, remove_debug=True, remove_explicit_return_none=True,
            remove_builtin_exception_brackets=True, constant_folding=True, prefer_single_line=single_line,
            remove_dead_branches=True,
        ))
    return min(results, key=lambda text: len(text.encode()))


def deflate(text: str) -> int:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return len(compressor.compress(text.encode()) + compressor.flush())


OBJECTIVES = ("raw", "shipped")


def objective_build(source: Path, target: str, objective: str, work: Path, jobs: int, overrides=()) -> dict:
    """The report of one build of ``source`` by ``objective`` (runs cached across builds)."""
    from golfkit.build import Builder
    from golfkit.options import Options
    from golfkit.source import resolve_data

    options = Options(source=source, target=target, objective=objective, out_dir=work / objective / source.stem,
                      jobs=jobs, overrides=tuple(overrides))
    return Builder(options, data=resolve_data((ROOT / "input.txt",), False)).build().report


def deflate_growth(report: dict) -> int:
    """The largest growth of the deflate size a kept stage made (the pack row aside)."""
    before, worst = report["reference"]["deflate"], -10**9
    for stage in report["stages"]:
        if stage["name"] != "pack" and stage["verdict"] in ("verified", "partial"):
            worst, before = max(worst, stage["deflate"] - before), stage["deflate"]
    return worst


def compare_objectives(targets: list[str], corpus_limit: int, jobs: int, work: Path) -> None:
    import statistics

    corpus = sorted((ROOT / "tests" / "corpus").glob("*.py"))[:corpus_limit]
    for target in targets:
        reports = {o: objective_build(ROOT / "reference" / "microgpt.py", target, o, work / target, jobs,
                                      [("num_steps", "20")]) for o in OBJECTIVES}
        sizes = {o: reports[o]["final"][target] for o in OBJECTIVES}
        print(f"--target {target}: shipped {target} by objective   raw  shipped  difference")
        print(f"  reference (num_steps=20)                 {sizes['raw']:5d}  {sizes['shipped']:7d}  "
              f"{sizes['shipped'] - sizes['raw']:+d}")
        print(f"  largest deflate growth of a kept stage   {deflate_growth(reports['raw']):+5d}  "
              f"{deflate_growth(reports['shipped']):+7d}")
        if not corpus:
            continue
        rows = []
        for program in corpus:
            pair = [objective_build(program, target, o, work / target, jobs)["final"][target] for o in OBJECTIVES]
            rows.append((pair[1] - pair[0], program.stem, *pair))
        differences = [row[0] for row in rows]
        worst = max(rows)
        print(f"  corpus ({len(rows)} programs), total        {sum(r[2] for r in rows):5d}  "
              f"{sum(r[3] for r in rows):7d}  {sum(differences):+d}")
        print(f"  corpus median difference {statistics.median(differences):+.1f}; worst {worst[0]:+d} "
              f"({worst[1]}: {worst[2]} -> {worst[3]}); best {min(rows)[0]:+d}; "
              f"{sum(d < 0 for d in differences)} smaller, {sum(d > 0 for d in differences)} larger")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="chars")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "build")
    parser.add_argument("--objectives", action="store_true", help="build by each objective and compare")
    parser.add_argument("--targets", default="chars,bytes")
    parser.add_argument("--corpus", type=int, default=50, help="corpus programs to build (the first N)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "objectives")
    args = parser.parse_args()
    if args.objectives:
        compare_objectives(args.targets.split(","), args.corpus, args.jobs, args.work)
        return 0
    folder = args.out_dir / args.target
    report_path = folder / "report.json"
    if not report_path.is_file():
        print(f"{report_path}: no build yet; run `golfkit build --target {args.target}` first", file=sys.stderr)
        return 2
    report = json.loads(report_path.read_text())
    if report.get("overrides"):
        print(f"note: QUICK BUILD under overrides {report['overrides']}, not the real result")
    source = Path(report["source"])
    source = source if source.is_absolute() else ROOT / source
    reference = source.read_text()
    minified = most_aggressive_minifier(reference)
    stages = [s for s in report["stages"] if s["name"] != "pack" and s["verdict"] in ("verified", "partial")]
    golfed = (folder / stages[-1]["file"]).read_text() if stages else reference
    ref_bytes, min_bytes, golf_bytes = (len(t.encode()) for t in (reference, minified, golfed))
    print(f"reference:                      {ref_bytes:6d} bytes  deflate {deflate(reference):5d}")
    print(f"python-minifier (aggressive):   {min_bytes:6d} bytes  deflate {deflate(minified):5d}")
    print(f"golfkit verified, unpacked:     {golf_bytes:6d} bytes  deflate {deflate(golfed):5d}  "
          f"({100 * (1 - golf_bytes / min_bytes):.1f}% smaller than python-minifier; goal >= 35%)")
    print("per pass (verified stages):")
    for stage in report["stages"]:
        print(f"  {stage['step']:2d} {stage['name']:16s} r{stage['round']} {stage['verdict']:12s} "
              f"{stage['bytes']:6d} bytes {stage['delta_bytes']:+6d}  {stage['chars']:6d} chars {stage['delta_chars']:+6d}")
    final = report["final"]
    print(f"packed {final['file']}: {final['chars']} chars, {final['bytes']} bytes "
          f"(scheme {report['pack']['chosen'] if report.get('pack') else 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
