"""Reliability: clear errors for bad input, isolation from hostile programs, verdicts that cannot
lie, and interrupted builds that lose nothing. One test per case of tests/reliability_cases.py
(the same table bench/bad_inputs.py prints), through the installed `golfkit` command, plus the
mechanisms underneath tested directly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from golfkit import runner
from golfkit.cache import RunCache
from golfkit.errors import Interrupted
from golfkit.runner import RunLimits, RunSpec, first_difference, run_program, split_lines
from golfkit.sandbox import RUN_SANDBOX, sandbox_status
from golfkit.verify import Verifier, cached_run
from tests.reliability_cases import (CASES, accepted, cheap_passes, escape_program, golfkit_command, listening_socket,
                                     run_case)

SANDBOX = sandbox_status(RUN_SANDBOX)
NO_SANDBOX = f"sandboxed runs cannot run here: {SANDBOX.detail}"


@pytest.fixture(scope="module")
def installed():
    return golfkit_command(), cheap_passes()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case, installed, tmp_path):
    command, passes = installed
    if case.group == "sandbox" and not SANDBOX.available:
        pytest.skip(NO_SANDBOX)
    result = run_case(case, tmp_path, command, passes)
    if case.pending and not result.passed:
        pytest.xfail(f"pending: {case.pending}")
    assert result.passed, result.line()


# -- the mechanisms -------------------------------------------------------------------------------


def test_lines_split_only_at_newline_as_readline_does():
    assert split_lines(b"a\rb\nc\r\n\nd") == [b"a\rb\n", b"c\r\n", b"\n", b"d"]
    assert split_lines(b"") == [] and split_lines(b"\n") == [b"\n"]
    assert first_difference(b"50%\r100%\n", b"50%\r100%\n") is None
    assert first_difference(b"x\r\n", b"x\n").line == 1


def test_program_printing_carriage_returns_verifies_against_itself():
    program = b"print('50%\\r100%')\nprint('done')\n"
    reference = run_program(RunSpec(program))
    verdict = Verifier(reference).check(program + b"# same\n")
    assert verdict.identical, verdict.reason


def test_abort_stops_live_runs_and_nothing_is_cached(tmp_path):
    cache = RunCache(tmp_path / "cache")
    spec = RunSpec(b"import time\nprint('start', flush=True)\ntime.sleep(30)\n")
    results = []
    worker = threading.Thread(target=lambda: results.append(cached_run(spec, sys.executable, cache, RunLimits(60))))
    worker.start()
    time.sleep(1.0)
    started = time.perf_counter()
    try:
        runner.abort_all_runs()
        worker.join(10)
        assert not worker.is_alive() and time.perf_counter() - started < 5
        [(result, cached)] = results
        assert result.cancelled and result.returncode is None and not cached
        assert not list((tmp_path / "cache").rglob("*.json"))
        # No run starts once golfkit is stopping.
        assert run_program(RunSpec(b"print(1)\n")).cancelled
    finally:
        runner._aborted.clear()


def test_stop_signal_is_held_while_outputs_are_written():
    restore = runner.install_stop_handlers()
    try:
        with pytest.raises(Interrupted) as stopped:
            with runner.deferred_interrupts():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.1)
                written = True  # the block finished despite the signal
        assert written and stopped.value.exit_code == 143
    finally:
        restore()
        runner._aborted.clear()


def test_runs_die_with_a_golfkit_killed_outright(tmp_path):
    """SIGKILL cannot be caught: the kernel stops the run (parent-death signal) and the next
    golfkit removes the dead one's run folder."""
    marker = tmp_path / "still-running"
    program = f"import time, pathlib\ntime.sleep(3)\npathlib.Path({str(marker)!r}).touch()\n".encode()
    driver = f"from golfkit.runner import RunLimits, RunSpec, run_program\nrun_program(RunSpec({program!r}), limits=RunLimits(60))\n"
    process = subprocess.Popen([sys.executable, "-c", driver])
    deadline = time.monotonic() + 20
    while not list(Path(tempfile.gettempdir()).glob(f"golfkit-run-{process.pid}-*")):
        assert time.monotonic() < deadline, "the run never started"
        time.sleep(0.05)
    time.sleep(0.3)
    process.kill()
    process.wait()
    time.sleep(4)
    assert not marker.exists()
    runner._swept = False
    run_program(RunSpec(b"print(1)\n"))
    assert not list(Path(tempfile.gettempdir()).glob(f"golfkit-run-{process.pid}-*"))


def test_memory_hungry_candidate_is_stopped_not_the_machine():
    reference = run_program(RunSpec(b"print('ok')\n"))
    verifier = Verifier(reference, memory_limit_mb=256)
    verdict = verifier.check(b"block = bytearray(4 * 1024 ** 3)\nprint('ok')\n")
    assert not verdict.identical and b"MemoryError" in verdict.result.stderr


def test_memory_limit_flag_reaches_the_runs(tmp_path):
    (tmp_path / "prog.py").write_text("block = bytearray(300 * 1024 ** 2)\nprint(len(block))\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    small = subprocess.run([*golfkit_command(), "verify", "prog.py", "--reference", "prog.py", "--memory-limit", "100"],
                           cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert small.returncode == 5 and "under the 100 MB limit" in small.stderr
    large = subprocess.run([*golfkit_command(), "verify", "prog.py", "--reference", "prog.py", "--memory-limit", "1000"],
                           cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert large.returncode == 0, large.stderr


@pytest.fixture(params=["under-tmp", "elsewhere"])
def outside_folder(request, tmp_path):
    """A folder outside the run folder: under /tmp (the sandbox hides it) or elsewhere (it sees
    it, read-only): /var/tmp, else the home folder."""
    if request.param == "under-tmp":
        yield tmp_path
        return
    parent = next((Path(path) for path in ("/var/tmp", Path.home()) if os.access(path, os.W_OK)), None)
    if parent is None:
        pytest.skip("no writable folder outside /tmp")
    folder = Path(tempfile.mkdtemp(prefix="golfkit-escape-", dir=parent))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not SANDBOX.available, reason=NO_SANDBOX)
def test_a_run_leaves_the_machine_as_it_was(outside_folder):
    """A program that writes outside its run folder (by absolute path, and under /tmp), deletes a
    file there and connects to a socket of the machine changes nothing and reaches nobody."""
    victim, outside = outside_folder / "keep.txt", outside_folder / "escaped.txt"
    victim.write_text("keep me\n")
    in_tmp = Path("/tmp") / f"golfkit-escape-{os.getpid()}-{time.monotonic_ns()}.txt"
    listener = listening_socket()
    try:
        program = escape_program(outside, victim, in_tmp, listener.getsockname()[1]).encode()
        result = run_program(RunSpec(program), limits=RunLimits(timeout=60))
        assert result.returncode == 0, result.stderr
        # Read-only where it sees the folder, absent where /tmp is its own; its own loopback.
        refused = "FileNotFoundError" if outside_folder.is_relative_to("/tmp") else "OSError"
        assert result.stdout.decode().splitlines() == [
            f"write {refused}", "write /tmp done", f"delete {refused}", "connect ConnectionRefusedError", "total 10"]
        assert victim.read_text() == "keep me\n" and sorted(outside_folder.iterdir()) == [victim]
        assert not in_tmp.exists() and not accepted(listener)
    finally:
        listener.close()
        in_tmp.unlink(missing_ok=True)
