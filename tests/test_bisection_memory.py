"""Bisection remembers: sites found to break are left out of later rounds and later builds of the
same program, and never bisected again; another program starts fresh."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from golfkit.build import Builder
from golfkit.cache import BrokenSiteStore
from golfkit.cli import cli
from golfkit.options import Options
from golfkit.pipeline import SilentListener
from tests.passes_for_tests import DropFirstCommentPass, DropStatementsPass, SwapStatementsPass

# drop-statements breaks the log by dropping `a = 1` or a print; the unused assignments may go.
# Each round drop-first-comment finds one more comment, so three rounds all save something.
PROGRAM = """\
# header
a = 1
# c1
print(a)
# c2
unused_one = 2
# c3
print(a + 1)
# c4
unused_two = 3
# c5
print(a + 2)
"""
BREAKING = ["a = 1", "print(a + 1)", "print(a + 2)", "print(a)"]


class EventLog(SilentListener):
    """Runs started and stages resolved, in order."""

    def __init__(self):
        self.events = []

    def stage(self, record):
        self.events.append(("stage", record.name, record.round))

    def run_started(self, label, total_lines):
        self.events.append(("run", label))
        return super().run_started(label, total_lines)

    def bisections(self, after=None) -> int:
        """Bisection runs started (after the stage ``after`` resolved, if given)."""
        start = self.events.index(("stage", *after)) + 1 if after else 0
        return sum(1 for event in self.events[start:] if event[0] == "run" and event[1].endswith("(bisect)"))


def build(workdir: Path, cache_dir: Path, program: str = PROGRAM):
    source = workdir / "prog.py"
    source.write_text(program)
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2, max_rounds=3)
    listener = EventLog()
    # The test passes live outside golfkit, so the pass cache never holds their results: each
    # build really applies them again.
    outcome = Builder(options, listener=listener, passes=[DropStatementsPass(), DropFirstCommentPass()]).build()
    return outcome, listener


def drop_rows(outcome) -> list[dict]:
    return [stage for stage in outcome.report["stages"] if stage["name"] == "drop-statements"]


def test_later_rounds_skip_sites_known_to_break(workdir, cache_dir):
    outcome, listener = build(workdir, cache_dir)
    first, *later = drop_rows(outcome)
    assert (first["round"], first["verdict"], first["edits_kept"], first["edits_total"]) == (1, "partial", 2, 6)
    assert first["known_broken_skipped"] == 0 and listener.bisections() > 0
    assert [(row["round"], row["verdict"], row["known_broken_skipped"]) for row in later] == [
        (2, "no change", 4), (3, "no change", 4)]
    assert listener.bisections(after=("drop-statements", 1)) == 0  # rounds 2 and 3 bisected nothing
    assert outcome.report["known_broken_skipped"] == 8
    assert outcome.final_path.read_text() == "# header\na = 1\nprint(a)\nprint(a + 1)\nprint(a + 2)\n"
    assert len(list(BrokenSiteStore(cache_dir).folder.rglob("*.json"))) == 1


def test_a_rebuild_bisects_nothing_known_and_a_new_program_starts_fresh(workdir, cache_dir):
    first, _ = build(workdir, cache_dir)
    again, listener = build(workdir, cache_dir)
    assert listener.bisections() == 0
    row = drop_rows(again)[0]
    assert (row["round"], row["verdict"], row["edits_kept"], row["known_broken_skipped"]) == (1, "verified", 2, 4)
    assert again.final_path.read_text() == first.final_path.read_text()

    other, listener = build(workdir, cache_dir, PROGRAM.replace("a = 1", "a = 7"))
    assert listener.bisections() > 0 and drop_rows(other)[0]["verdict"] == "partial"


def test_cache_clear_forgets_the_sites(workdir, cache_dir):
    build(workdir, cache_dir)
    result = CliRunner().invoke(cli, ["cache", "clear", "--cache-dir", str(cache_dir)])
    assert result.exit_code == 0 and "sites known to break in 1 programs" in result.output
    _, listener = build(workdir, cache_dir)
    assert listener.bisections() > 0


def test_a_build_without_the_cache_remembers_only_within_itself(workdir, cache_dir):
    build(workdir, cache_dir)
    source = workdir / "prog.py"
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2,
                      max_rounds=3, use_cache=False)
    listener = EventLog()
    outcome = Builder(options, listener=listener, passes=[DropStatementsPass(), DropFirstCommentPass()]).build()
    assert listener.bisections() > 0 and listener.bisections(after=("drop-statements", 1)) == 0
    assert outcome.report["known_broken_skipped"] == 8


def test_the_remembered_keys_are_the_sites_that_broke(workdir, cache_dir):
    outcome, _ = build(workdir, cache_dir)
    [entry] = BrokenSiteStore(cache_dir).folder.rglob("*.json")
    body = BrokenSiteStore(cache_dir).load(entry.stem)
    assert body == {"drop-statements": sorted(BREAKING)}


def test_positional_keys_are_never_remembered(workdir, cache_dir):
    """A pass that names its sites only by position ("#3") gives no key to recognise them by."""
    source = workdir / "prog.py"
    source.write_text("# x\nprint(1)\n# y\nprint(2)\n")
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2, max_rounds=1)
    outcome = Builder(options, passes=[SwapStatementsPass()]).build()
    assert outcome.report["stages"][0]["verdict"] == "rejected"
    assert not list(BrokenSiteStore(cache_dir).folder.rglob("*.json"))


# doctest lists every function by name when verbose, and runs the examples in the docstrings,
# which spell the functions' names: renaming a function breaks the log, renaming a local does not.
DOCTESTED = '''\
"""Square helpers.

>>> area_of_square(3)
9
"""
import doctest
# one
def area_of_square(side):
    """Area of a square.

    >>> area_of_square(2)
    4
    """
    return side * side
# two
def perimeter_of_square(side):
    return 4 * side
# three
def describe(width, height):
    total_area = width * height
    return f"{width}x{height}: {total_area}"
# four
print(describe(2, 3), perimeter_of_square(5))
print(doctest.testmod(verbose=True))
'''


def build_doctested(workdir: Path, cache_dir: Path):
    from golfkit.passes.rename import RenamePass

    source = workdir / "doctested.py"
    source.write_text(DOCTESTED)
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2, max_rounds=3)
    listener = EventLog()
    outcome = Builder(options, listener=listener, passes=[RenamePass(), DropFirstCommentPass()]).build()
    return outcome, listener


def test_renaming_a_doctested_program_bisects_each_breaking_name_once(workdir, cache_dir):
    outcome, listener = build_doctested(workdir, cache_dir)
    rename_rows = [stage for stage in outcome.report["stages"] if stage["name"] == "rename"]
    assert rename_rows[0]["verdict"] == "partial" and listener.bisections() > 0
    assert len(rename_rows) == 3  # the comment pass keeps three rounds going
    assert listener.bisections(after=("rename", 1)) == 0  # later rounds bisect nothing known
    assert all(row["known_broken_skipped"] == 3 for row in rename_rows[1:])
    [entry] = BrokenSiteStore(cache_dir).folder.rglob("*.json")
    assert BrokenSiteStore(cache_dir).load(entry.stem) == {"rename": [
        "variable global.area_of_square", "variable global.describe", "variable global.perimeter_of_square"]}
    final = outcome.final_path.read_text()
    assert "def area_of_square(a)" in final and "total_area" not in final

    # A rebuild whose pass results are not cached applies rename again, and bisects nothing.
    for folder in cache_dir.iterdir():
        if folder.name == "passes":
            shutil.rmtree(folder)
    again, listener = build_doctested(workdir, cache_dir)
    assert listener.bisections() == 0
    assert again.final_path.read_text() == final
