"""Running ahead of the target's reference: with a pre-check interpreter, candidates are judged
against its probed run from the moment that run ends, while the target's own reference still runs;
the target's run must then log exactly the same, or the build starts over without running ahead."""

import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.errors import ReferenceRunsVoid
from golfkit.options import Options
from golfkit.passes.contract_prune import ContractPrunePass
from golfkit.runner import RunLimits, RunSpec, run_program
from golfkit.verify import REFERENCE_TIMEOUT, Verifier, default_timeout
from tests.passes_for_tests import DropCommentsPass

PYPY = shutil.which("pypy3")
needs_pypy = pytest.mark.skipif(PYPY is None, reason="pypy3 is not installed (scripts/setup.sh installs it)")

# Seconds under CPython, a fraction of that under PyPy: the target's reference is still running
# when the pre-check interpreter's probed run ends.
LOOP = """\
import sys

# a comment the drop-comments pass takes away
def total_of_squares(limit):
    total = 0
    for number in range(limit):
        total += number * number % 7
    return total

# another comment
for round_number in range(3):
    print("round", round_number, total_of_squares(2000000 + round_number))
print("done", {ending})
"""


def build(workdir: Path, source_text: str, cache_dir: Path):
    source = workdir / "prog.py"
    source.write_text(source_text)
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2,
                      precheck_python=PYPY, max_rounds=1)
    return Builder(options, passes=[ContractPrunePass(), DropCommentsPass()]).build()


@needs_pypy
def test_candidates_are_judged_before_the_targets_reference_ends(workdir, cache_dir):
    outcome = build(workdir, LOOP.format(ending="'ok'"), cache_dir)
    report = outcome.report
    assert report["precheck_interpreter"] == PYPY and report["precheck_refused"] is None
    # Candidates began while the target's reference was running, and it confirmed them.
    assert report["reference_run_ahead"] is not None
    assert report["reference_run_ahead"] < report["reference"]["seconds"]
    drop = next(stage for stage in report["stages"] if stage["name"] == "drop-comments")
    assert drop["verdict"] == "verified" and drop["prechecked"]
    assert report["final"]["verified"] and "comment" not in outcome.final_path.read_text()
    # A rebuild finds both reference runs in the cache: nothing is left to run ahead of.
    again = build(workdir, LOOP.format(ending="'ok'"), cache_dir)
    assert again.report["reference_run_ahead"] is None and again.report["precheck_interpreter"] == PYPY


@needs_pypy
def test_a_stand_in_the_target_does_not_confirm_starts_the_build_over(workdir, cache_dir):
    # The last line names the interpreter: PyPy's probed run logs what CPython's reference does not.
    outcome = build(workdir, LOOP.format(ending="sys.implementation.name"), cache_dir)
    report = outcome.report
    assert "does not reproduce the reference" in report["precheck_refused"]
    assert report["precheck_interpreter"] is None and report["reference_run_ahead"] is None
    drop = next(stage for stage in report["stages"] if stage["name"] == "drop-comments")
    assert drop["verdict"] == "verified" and not drop["prechecked"]
    final = run_program(RunSpec(outcome.final_path.read_bytes(), "prog.py"), sys.executable, RunLimits(60))
    assert final.stdout.decode().endswith("done cpython\n")


def reference_of(program: bytes):
    return run_program(RunSpec(program, "prog.py"), sys.executable, RunLimits(60))


def test_a_run_under_the_target_waits_for_the_targets_own_reference():
    program = b"print('same')\n"
    stand_in = reference_of(program)
    verifier = Verifier(stand_in, python=sys.executable, target_pending=1.0)
    # Until the target's time is known, limits are at least a reference's own.
    assert verifier.timeout >= REFERENCE_TIMEOUT
    verdicts = []
    judging = threading.Thread(target=lambda: verdicts.append(verifier.check(program, final=True)))
    judging.start()
    time.sleep(0.5)
    assert not verdicts  # held until the target's reference is known
    target = reference_of(program)
    verifier.confirm_target([target])
    judging.join(30)
    assert verdicts and verdicts[0].identical
    assert verifier.reference is not stand_in and verifier.reference.elapsed == target.elapsed
    assert verifier.timeout == default_timeout(target.elapsed)


def test_runs_under_the_target_give_up_when_the_stand_in_is_not_confirmed():
    program = b"print('same')\n"
    verifier = Verifier(reference_of(program), python=sys.executable, target_pending=1.0)
    errors = []

    def judge():
        try:
            verifier.check(program, final=True)
        except ReferenceRunsVoid as error:
            errors.append(error)

    judging = threading.Thread(target=judge)
    judging.start()
    verifier.void_target()
    judging.join(30)
    assert errors and "does not log what the pre-check interpreter's did" in errors[0].message


@needs_pypy
def test_a_target_that_finishes_first_is_decided_from_the_runs_already_made(workdir, cache_dir, monkeypatch):
    """A short program's reference is made once, under the target: its runs end before the
    pre-check interpreter would even start (or, on a machine too busy for that, the probed run
    decides with them), and the pre-check is refused as not needed."""
    import golfkit.reference

    completed = []
    make_reference = golfkit.reference.run_reference

    def counted(*args, **kwargs):
        result = make_reference(*args, **kwargs)
        if not result.cancelled:
            completed.append(result)
        return result

    monkeypatch.setattr(golfkit.reference, "run_reference", counted)
    source = workdir / "prog.py"
    source.write_text("# a comment\nprint(sum(range(10)))\n")
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2,
                      max_rounds=1)  # --precheck-python auto: PyPy is not worth it on so short a run
    report = Builder(options, passes=[ContractPrunePass(), DropCommentsPass()]).build().report
    assert report["precheck_interpreter"] is None and "no pre-check needed" in report["precheck_refused"]
    assert report["reference_run_ahead"] is None and report["final"]["verified"]
    assert len(completed) == 1


@needs_pypy
def test_a_reference_longer_than_the_grace_shows_one_progress_line(workdir, cache_dir):
    """Under --precheck-python auto the target's own runs go first for half a second; cut short,
    the runs that take over show the reference's only progress line."""
    from tests.support import RunLabels

    listener = RunLabels()
    source = workdir / "prog.py"
    source.write_text(LOOP.format(ending="'ok'"))
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=2,
                      max_rounds=1)
    outcome = Builder(options, listener=listener, passes=[ContractPrunePass(), DropCommentsPass()]).build()
    assert outcome.report["final"]["verified"]
    assert len([label for label in listener.labels if "(reference" in label]) == 1, listener.labels
