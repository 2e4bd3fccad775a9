"""The pipeline: parity after every pass, rejection and bisection, atomic outputs."""

import json
from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.errors import GolfkitError
from golfkit.options import Options
from golfkit.pipeline import SilentListener
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


class _RecordingListener:
    """Records the label of every run started, in order."""

    def __init__(self):
        self.labels = []

    def stage(self, record):
        pass

    def run_started(self, label, total_lines):
        self.labels.append(label)
        return SilentListener().run_started(label, total_lines)


THREE_COMMENTS = "# one\nprint(1)\n# two\nprint(2)\n# three\nprint(3)\n"


def test_later_rounds_and_the_packed_file_are_verified_ahead_once(workdir, cache_dir):
    """Every round's candidate and the packed file are queued while round 1 still runs (so the
    cores never wait at a round's end), and no text is run twice."""
    from tests.passes_for_tests import DropFirstCommentPass

    listener = _RecordingListener()
    source = workdir / "prog.py"
    source.write_text(THREE_COMMENTS * 20)  # long enough for the packer to win
    options = Options(source=source, out_dir=workdir / "build", cache_dir=cache_dir, jobs=2, max_rounds=3)
    outcome = Builder(options, listener=listener, passes=[DropFirstCommentPass()]).build()
    verdicts = [(s["round"], s["verdict"]) for s in outcome.report["stages"]]
    assert verdicts[:3] == [(1, "verified"), (2, "verified"), (3, "verified")]
    assert outcome.report["pack"]["chosen"] != "unpacked"
    runs = [label for label in listener.labels if "reference" not in label]
    assert runs == ["drop-first-comment", "drop-first-comment (round 2, ahead)",
                    "drop-first-comment (round 3, ahead)", f"pack {outcome.report['pack']['chosen']} (ahead)"]
    assert outcome.report["runs_made"] == 4


def test_a_failure_voids_what_was_queued_ahead_of_it(workdir, cache_dir):
    """Round 2 was queued on top of a candidate that fails: the build goes on from the last
    verified text and ends on the same result as without looking ahead."""
    from tests.passes_for_tests import DropFirstCommentPass

    source = "# x\nprint(1)\n# y\nprint(2)\n# z\nprint(3)\n"
    outcome = build(workdir, source, [SwapStatementsPass(), DropFirstCommentPass()], cache_dir, max_rounds=3)
    assert outcome.final_path.read_text() == "# x\nprint(1)\nprint(2)\nprint(3)\n"
    rows = [(s["round"], s["name"], s["verdict"]) for s in outcome.report["stages"]]
    assert rows[:2] == [(1, "swap-statements", "rejected"), (1, "drop-first-comment", "verified")]
    assert (2, "drop-first-comment", "verified") in rows


def test_a_program_showing_line_numbers_is_built_without_a_trace(workdir, cache_dir):
    """Probes shift line numbers; the instrumented log then differs, a plain repeat shows the
    program is deterministic, and contract pruning gets no trace instead of a wrong one."""
    from golfkit.passes import default_pipeline

    source = "import inspect\n\ndef f():\n    return 1\nprint(f(), inspect.currentframe().f_lineno)\n"
    outcome = build(workdir, source, default_pipeline(("contract-prune", "strip")), cache_dir, max_rounds=1)
    assert "instrumented run's log differs" in outcome.report["trace_note"]
    first = outcome.report["stages"][0]
    assert (first["name"], first["verdict"], first["reason"]) == ("contract-prune", "skipped", "no trace of the run")


def test_a_precheck_interpreter_that_cannot_reproduce_the_reference_is_not_used(workdir, cache_dir, tmp_path):
    wrong = tmp_path / "wrong-python"
    wrong.write_text("#!/bin/sh\necho 2\n")
    wrong.chmod(0o755)
    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [DropCommentsPass()], cache_dir, precheck_python=str(wrong))
    assert "does not reproduce the reference" in outcome.report["precheck_refused"]
    assert outcome.report["precheck_interpreter"] is None
    assert not outcome.report["stages"][0]["prechecked"] and outcome.report["stages"][0]["verdict"] == "verified"


def test_passes_are_applied_at_a_lower_priority_than_runs(workdir, cache_dir):
    """Runs are started from the verification threads at the caller's priority; passes are
    computed on a thread of lower priority (where the system has per-thread niceness)."""
    import os
    import sys
    import threading

    if not sys.platform.startswith("linux"):
        pytest.skip("per-thread niceness is Linux's")
    seen = {}

    class NoteNiceness(DropCommentsPass):
        def apply(self, source, context, edits):
            seen["pass"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            return super().apply(source, context, edits)

    build(workdir, HARMLESS_THEN_HARMFUL, [NoteNiceness()], cache_dir, max_rounds=1)
    caller = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen["pass"] == min(19, caller + 10)


def test_a_declining_pass_is_recorded_as_skipped_with_its_reason(workdir, cache_dir):
    from rich.console import Console

    from golfkit.report import stage_table
    from tests.passes_for_tests import DecliningPass

    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [DecliningPass(), DropCommentsPass()], cache_dir, max_rounds=1)
    declined, drop = outcome.report["stages"]
    assert (declined["verdict"], declined["reason"], declined["file"]) == ("skipped", "the program prints", None)
    assert drop["verdict"] == "verified"
    console = Console(width=300, record=True)
    console.print(stage_table(outcome.report))
    assert "skipped: the program prints" in console.export_text()


def test_a_raising_pass_is_an_error(workdir, cache_dir):
    class Raising(DropCommentsPass):
        name = "raising"

        def apply(self, source, context, edits):
            raise RuntimeError("boom")

    outcome = build(workdir, HARMLESS_THEN_HARMFUL, [Raising()], cache_dir, max_rounds=1)
    [stage] = outcome.report["stages"]
    assert stage["verdict"] == "error" and stage["reason"] == "pass failed: RuntimeError: boom"


def test_stage_records_are_typed_and_frozen(workdir, cache_dir):
    import dataclasses

    from golfkit.stages import StageVerdict

    source = workdir / "prog.py"
    source.write_text(THREE_COMMENTS * 20)  # long enough for the packer to win
    options = Options(source=source, out_dir=workdir / "build", cache_dir=cache_dir, jobs=2, max_rounds=1)
    outcome = Builder(options, passes=[DropCommentsPass()]).build()
    drop, pack = outcome.records
    assert drop.verdict is StageVerdict.VERIFIED and isinstance(drop.text, str) and drop.packed is None
    assert pack.name == "pack" and isinstance(pack.packed, bytes) and pack.text is None
    assert pack.file_name() == "02-pack.py" and (outcome.folder / "02-pack.py").read_bytes() == pack.packed
    assert outcome.final_path.read_bytes() == pack.packed
    assert outcome.report["stages"][1]["verdict"] == "verified" and outcome.report["stages"][1]["file"] == "02-pack.py"
    with pytest.raises(dataclasses.FrozenInstanceError):
        drop.verdict = StageVerdict.REJECTED
