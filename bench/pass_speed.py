"""CPU seconds of one round of the pass pipeline on a file, per pass and in total.

    python bench/pass_speed.py build/chars/19-layout.py      # a golfed text: a no-change round
    python bench/pass_speed.py reference/microgpt.py --rounds 2
    python bench/pass_speed.py build/chars/19-layout.py --rounds 0 --no-change-round

Each pass is applied to the previous pass's output, as a build's round does (without runs).
The shared facts are computed once per distinct text: the first pass to see a text pays for
its parse and metadata, the others reuse them. ``--cold`` forgets the facts before every pass,
which shows what each pass would cost on its own.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from golfkit.analysis import facts_for  # noqa: E402
from golfkit.passes import default_pipeline  # noqa: E402
from golfkit.passes.base import Edits, PassContext, Skip  # noqa: E402


def one_round(source: str, passes, target: str, cold: bool) -> tuple[str, list[tuple[str, float, str]]]:
    rows = []
    for golf_pass in passes:
        if cold:
            facts_for.cache_clear()
        started = time.process_time()
        outcome = "no change"
        try:
            output = golf_pass.apply(source, PassContext(target=target), Edits())
        except Skip as skip:
            output, outcome = source, f"skipped: {skip.reason}"
        seconds = time.process_time() - started
        if output != source:
            outcome = f"changed ({len(output) - len(source):+d} chars)"
            source = output
        rows.append((golf_pass.name, seconds, outcome))
    return source, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--target", choices=("chars", "bytes"), default="chars")
    parser.add_argument("--cold", action="store_true", help="forget the shared facts before every pass")
    parser.add_argument("--no-change-round", action="store_true",
                        help="then golf the text to its fixpoint and time one round that changes nothing")
    args = parser.parse_args()
    source = args.file.read_text("utf-8")
    passes = default_pipeline()
    print(f"{args.file}: {len(source)} chars, {len(passes)} passes")
    for round_number in range(1, args.rounds + 1):
        source, rows = one_round(source, passes, args.target, args.cold)
        show(f"round {round_number}", rows)
    if args.no_change_round:
        # The figure a build pays for a round that changes nothing: facts computed once, from cold.
        for _ in range(5):
            previous = source
            source, _ = one_round(source, passes, args.target, False)
            if source == previous:
                break
        facts_for.cache_clear()
        _, rows = one_round(source, passes, args.target, args.cold)
        show("one no-change round, from cold (the text's facts computed once)", rows)
    return 0


def show(title: str, rows) -> None:
    total = sum(seconds for _, seconds, _ in rows)
    print(f"\n{title}")
    print(f"{'pass':<20} {'cpu s':>8}  outcome")
    for name, seconds, outcome in rows:
        print(f"{name:<20} {seconds:8.3f}  {outcome[:90]}")
    print(f"{'total':<20} {total:8.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
