"""The pipeline: parity after every pass, rejection and bisection, atomic outputs."""

import json
from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.errors import GolfkitError
from golfkit.options import Options
from tests.passes_for_tests import DropCommentsPass, SwapStatementsPass
from tests.support import RunLabels

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
        build(workdir, "print(1)\nraise ValueError('boom')\n", [DropCommentsPass()], cache_dir)
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


THREE_COMMENTS = "# one\nprint(1)\n# two\nprint(2)\n# three\nprint(3)\n"


def test_later_rounds_and_the_packed_file_are_verified_ahead_once(workdir, cache_dir):
    """Every round's candidate and the packed file are queued while round 1 still runs (so the
    cores never wait at a round's end), and no text is run twice."""
    from tests.passes_for_tests import DropFirstCommentPass

    listener = RunLabels()
    source = workdir / "prog.py"
    source.write_text(THREE_COMMENTS * 20)  # long enough for the packer to win
    # By the raw objective: dropping a repeated comment hardly changes the packed file.
    options = Options(source=source, out_dir=workdir / "build", cache_dir=cache_dir, jobs=2, max_rounds=3,
                      objective="raw")
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


def test_the_seed_reaches_the_passes(workdir, cache_dir):
    """``--seed`` seeds the passes' own searches (the rename pass's name search) as well as the
    search stage; the default seed gives them no setting at all, as before it existed."""
    seen = []

    class NoteSettings(DropCommentsPass):
        def apply(self, source, context, edits):
            seen.append(dict(context.settings))
            return super().apply(source, context, edits)

    build(workdir, HARMLESS_THEN_HARMFUL, [NoteSettings()], cache_dir, max_rounds=1, seed=7)
    assert seen and all(settings == {"seed": 7} for settings in seen)
    seen.clear()
    build(workdir, HARMLESS_THEN_HARMFUL, [NoteSettings()], cache_dir, max_rounds=1)
    assert seen and all(settings == {} for settings in seen)


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


# -- the objective: the shipped (packed) size ----------------------------------------------------


def test_a_stage_that_shortens_the_text_but_not_the_packed_file_is_not_kept(workdir, cache_dir):
    """Dropping one of twenty identical comments shortens the text, not its compressed stream:
    by the shipped objective the stage is not kept, and its row says the packed sizes."""
    from tests.passes_for_tests import DropFirstCommentPass

    source = workdir / "prog.py"
    source.write_text(THREE_COMMENTS * 20)
    options = Options(source=source, out_dir=workdir / "build", cache_dir=cache_dir, jobs=2, max_rounds=1)
    outcome = Builder(options, passes=[DropFirstCommentPass()]).build()
    [stage, pack] = outcome.report["stages"]
    assert stage["verdict"] == "not shorter" and stage["reason"].startswith("packed size ")
    assert stage["shipped"] == outcome.report["reference"]["shipped"] == pack["shipped"]
    assert pack["shipped"] == outcome.report["final"]["chars"]
    assert outcome.report["objective"] == "shipped" and outcome.report["shipped_measure"]["texts"] >= 2


def test_the_objective_ranks_by_shipped_size_then_raw_size():
    from golfkit.pipeline import Objective

    sizes = {"aaaa": 10, "bbb": 12, "cc": 10, "d": 12}.__getitem__
    objective = Objective("chars", sizes)
    assert objective.better("cc", "aaaa") and objective.better("aaaa", "bbb") and not objective.better("d", "aaaa")
    assert objective.not_better("aaaa", "d") == "packed size 10 -> 12"
    assert objective.not_better("cc", "aaaa") == "packed size 10 -> 10, chars 2 -> 4"
    assert objective.measure_for_passes() is sizes
    raw = Objective("chars", sizes, by_shipped=False)
    assert raw.better("d", "aaaa") and raw.shipped("d") == 12 and raw.measure_for_passes() is None
    assert raw.not_better("d", "aaaa") == "not shorter" and Objective("bytes").shipped("é") == 2


def test_bisection_keeps_the_verified_set_of_least_rank():
    """Two halves verify alone and together; by rank the smaller set wins, without it the union."""
    from types import SimpleNamespace

    from golfkit.bisection import bisect_edits

    outputs = {(0,): "x" * 5, (1,): "y" * 9, (0, 1): "xy" * 4}
    kwargs = dict(apply=lambda subset: outputs[tuple(subset)], submit=lambda text: text,
                  result=lambda key: SimpleNamespace(identical=True))
    assert bisect_edits([0, 1], **kwargs).text == "xy" * 4
    ranked = bisect_edits([0, 1], rank=len, **kwargs)
    assert (ranked.text, ranked.kept) == ("x" * 5, 1)


def test_the_narrow_table_shows_the_shipped_size_within_80_columns():
    from rich.console import Console

    from golfkit.report import stage_table

    stage = {"step": 12, "name": "loop-comprehension", "round": 3, "chars": 10000, "bytes": 10000,
             "deflate": 3000, "shipped": 1234, "delta_chars": -1000, "delta_bytes": -1000, "verdict": "not shorter",
             "reason": "packed size 1234 -> 1236", "pass_seconds": 10.0, "run_seconds": 100.0, "runtime_ratio": 1.0}
    report = {"source": "reference/microgpt.py", "target": "chars", "overrides": {}, "interpreter": "python3",
              "reference": {"chars": 10000, "bytes": 10000, "deflate": 3000, "shipped": 1300, "seconds": 400.0},
              "stages": [stage], "final": {"file": "femtogpt.py", "chars": 590, "bytes": 2200},
              "runs_made": 1, "wall_seconds": 12.0}
    console = Console(width=80, record=True, file=open("/dev/null", "w"))
    console.print(stage_table(report, width=80))
    text = console.export_text()
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "shipped" in text and "1234" in text and "1300" in text


def logging_interpreter(folder: Path, name: str, real: str, log: Path) -> Path:
    """An interpreter that notes each call's script in ``log`` and runs it with ``real``."""
    wrapper = folder / name
    wrapper.write_text(f'#!/bin/sh\nbasename "$1" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


UNUSED_BRANCH = "x = 1\nif x > 5:\n    print('big')\nelse:\n    print('small')\n"


def test_the_precheck_interpreter_makes_the_probed_repeat_so_the_target_runs_the_reference_once(
        workdir, cache_dir, tmp_path):
    """With a pre-check interpreter, the probed repeat runs under it: one run proves the program
    deterministic, shows the interpreter reproduces the log and gives the trace; the target runs
    the reference once (and the final file), and contract pruning still gets its trace."""
    import sys

    from golfkit.passes import default_pipeline

    target_log, precheck_log = tmp_path / "target.log", tmp_path / "precheck.log"
    target = logging_interpreter(tmp_path, "target-python", sys.executable, target_log)
    precheck = logging_interpreter(tmp_path, "precheck-python", sys.executable, precheck_log)
    # Unsandboxed: the interpreters note their calls in logs outside the run folders.
    outcome = build(workdir, UNUSED_BRANCH, default_pipeline(("contract-prune",)), cache_dir, max_rounds=1,
                    python=str(target), precheck_python=str(precheck), sandbox=False)
    # Under the target: the reference and the final file's confirmation, no probed repeat.
    assert target_log.read_text().count("prog.py") == 2
    assert "trace_runner.py" not in target_log.read_text()
    assert "trace_runner.py" in precheck_log.read_text()
    [prune] = outcome.report["stages"]
    assert prune["verdict"] == "verified" and "big" not in outcome.final_path.read_text()
    assert outcome.report["trace_note"] is None


def test_a_precheck_interpreter_whose_probed_log_differs_leaves_the_trace_to_the_target(
        workdir, cache_dir, tmp_path):
    """The pre-check interpreter prints something else: the target makes the probed repeat
    itself, pruning keeps its trace, and the interpreter is refused as a stand-in."""
    from golfkit.passes import default_pipeline

    wrong = tmp_path / "wrong-python"
    wrong.write_text("#!/bin/sh\necho 2\n")
    wrong.chmod(0o755)
    outcome = build(workdir, UNUSED_BRANCH, default_pipeline(("contract-prune",)), cache_dir, max_rounds=1,
                    precheck_python=str(wrong))
    assert "does not reproduce the reference" in outcome.report["precheck_refused"]
    [prune] = outcome.report["stages"]
    assert prune["verdict"] == "verified" and not prune["prechecked"]
    assert "big" not in outcome.final_path.read_text()
