"""The pipeline: parity after every pass, rejection and bisection, atomic outputs."""

import json
from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.errors import GolfkitError
from golfkit.options import Options
from tests.passes_for_tests import DropCommentsPass, SwapStatementsPass

HARMLESS_THEN_HARMFUL = """\
# the first constant
a = 1
# the second constant
b = 2
# print one
print(a)
# print the other
print(b)
"""


def build(workdir: Path, source_text: str, passes, cache_dir, **options):
    source = workdir / "prog.py"
    source.write_text(source_text)
    opts = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2, **options)
    return Builder(opts, passes=passes).build()


def test_broken_pass_is_bisected_and_build_ends_verified(workdir, cache_dir):
    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [SwapStatementsPass()], cache_dir, max_rounds=1)
    [stage] = outcome.report["stages"]
    assert stage["name"] == "swap-statements" and stage["verdict"] == "partial"
    assert (stage["edits_kept"], stage["edits_total"]) == (1, 2)
    assert "stdout differs at line 1" in stage["reason"]
    final = outcome.final_path.read_text()
    assert final.index("b = 2") < final.index("a = 1") and final.index("print(a)") < final.index("print(b)")


def test_wholly_broken_pass_is_rejected_and_named(workdir, cache_dir):
    source = "# x\nprint(1)\n# y\nprint(2)\n"
    outcome = build(workdir, source, [SwapStatementsPass(), DropCommentsPass()], cache_dir, max_rounds=1)
    swap, drop = outcome.report["stages"]
    assert swap["verdict"] == "rejected" and swap["name"] == "swap-statements"
    assert "expected '1\\n', got '2\\n'" in swap["reason"]
    assert drop["verdict"] == "verified" and drop["delta_bytes"] < 0
    assert outcome.final_path.read_text() == "# x\nprint(1)\nprint(2)\n"  # a module header is no statement
    assert (outcome.folder / swap["file"]).read_text() == "# x\nprint(2)\nprint(1)\n"
    assert swap["file"].endswith(".rejected.py")


def test_report_rows_and_stage_files(workdir, cache_dir):
    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass(), SwapStatementsPass()], cache_dir)
    report = json.loads((outcome.folder / "report.json").read_text())
    drop = report["stages"][0]
    assert drop["file"] == "01-drop-comments.py" and (outcome.folder / drop["file"]).is_file()
    assert drop["runtime_ratio"] is not None and drop["delta_chars"] == -52
    assert report["final"]["verified"] and report["reference"]["lines"] == 2


def test_second_build_makes_no_new_runs(workdir, cache_dir):
    build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass()], cache_dir)
    again = build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass()], cache_dir)
    assert again.report["runs_made"] == 0


def test_failed_build_leaves_previous_outputs_untouched(workdir, cache_dir):
    first = build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass()], cache_dir)
    before = first.final_path.read_bytes(), (first.folder / "report.json").read_bytes()
    with pytest.raises(GolfkitError, match="exits with status 1"):
        build(workdir, "print(1)\nraise SystemExit(1)\n", [DropCommentsPass()], cache_dir)
    assert (first.final_path.read_bytes(), (first.folder / "report.json").read_bytes()) == before


def test_nondeterministic_reference_is_refused(workdir, cache_dir):
    with pytest.raises(GolfkitError, match="not deterministic: two runs differ at line 1"):
        build(workdir, "import os\nprint(os.urandom(8).hex())\n", [DropCommentsPass()], cache_dir)


def test_precheck_interpreter_judges_intermediates_but_never_the_final_file(workdir, cache_dir, tmp_path):
    """A pre-check interpreter that approves everything cannot make a broken result final."""
    log = tmp_path / "expected.log"
    log.write_text("1\n2\n")
    lying = tmp_path / "approve-all"
    lying.write_text(f"#!/bin/sh\ncat {log}\n")
    lying.chmod(0o755)
    outcome = build(workdir, "# x\nprint(1)\n# y\nprint(2)\n", [SwapStatementsPass()], cache_dir,
                    max_rounds=1, precheck_python=str(lying))
    [swap] = outcome.report["stages"]
    assert swap["verdict"] == "verified" and swap["prechecked"]
    assert outcome.report["confirmation_failures"] and "stdout differs at line 1" in outcome.report["confirmation_failures"][0]
    assert outcome.final_path.read_text() == "# x\nprint(1)\n# y\nprint(2)\n"


def test_precheck_with_a_real_second_interpreter(workdir, cache_dir):
    import shutil

    pypy = shutil.which("pypy3")
    if pypy is None:
        pytest.skip("pypy3 not installed (optional: apt-get install pypy3)")
    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass()], cache_dir, precheck_python=pypy)
    assert outcome.report["stages"][0]["prechecked"] and not outcome.report["confirmation_failures"]
    assert "#" not in outcome.final_path.read_text().split("a = 1")[1]
