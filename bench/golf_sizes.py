"""Size figures: python-minifier at its most aggressive vs golfkit's verified result, per pass.

Reads the last build's report (``build/<target>/report.json``, written by ``golfkit build``) and
prints the reference's size, python-minifier's best, golfkit's verified unpacked result, its
saving against python-minifier, the per-pass deltas, and the packed file. Usage:

    python bench/golf_sizes.py [--target chars] [--out-dir build]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="chars")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "build")
    args = parser.parse_args()
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
