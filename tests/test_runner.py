"""The runner: isolation, live comparison, limits, measurements."""

import sys
import threading
import time
from pathlib import Path

import pytest

from golfkit import sandbox
from golfkit.modules import local_module_copies
from golfkit.runner import RunLimits, RunSpec, first_difference, run_program
from golfkit.sandbox import RUN_SANDBOX, sandbox_status
from golfkit.verify import cache_key

from tests.conftest import PROGRAMS


def spec_of(name: str, **kwargs) -> RunSpec:
    return RunSpec((PROGRAMS / name).read_bytes(), name, **kwargs)


def test_captures_stdout_stderr_status_time_and_memory():
    result = run_program(spec_of("stderr_writer.py"))
    assert result.stdout == b"num docs: 3\nvocab size: 4\nnum params: 12\n"
    assert result.stderr == b"a warning\n"
    assert result.returncode == 0 and result.complete
    assert result.elapsed > 0 and result.peak_memory_kb > 1000


def test_crash_reports_exit_status_and_stderr():
    result = run_program(spec_of("crash.py"))
    assert result.returncode == 1 and b"boom" in result.stderr


def test_stops_at_first_differing_line_with_both_lines():
    expected = run_program(spec_of("mini_gpt.py")).stdout
    result = run_program(spec_of("mini_gpt_loss_drift.py"), expected=expected)
    assert result.mismatch is not None and result.mismatch.line == 4
    assert result.mismatch.expected.startswith(b"step    1") and result.mismatch.actual.startswith(b"step    1")
    assert result.mismatch.expected != result.mismatch.actual
    assert not result.complete


def test_endless_program_diverging_early_is_stopped_in_seconds():
    started = time.perf_counter()
    result = run_program(spec_of("endless.py"), limits=RunLimits(timeout=60), expected=b"num docs: 4\n")
    assert result.mismatch.line == 1 and time.perf_counter() - started < 10


def test_timeout_stops_an_endless_program():
    result = run_program(spec_of("endless.py"), limits=RunLimits(timeout=1.0))
    assert result.timed_out and result.returncode is None and not result.complete
    assert result.stdout == b"num docs: 3\n"


def test_cancel_stops_a_run():
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    result = run_program(spec_of("endless.py"), limits=RunLimits(timeout=30, cancel=cancel))
    assert result.cancelled and result.elapsed < 10


def test_missing_and_extra_output_lines_are_differences():
    assert first_difference(b"a\nb\n", b"a\nb\nc\n").line == 3
    assert first_difference(b"a\nb\nc\n", b"a\nb\n").actual == b"c\n"
    assert first_difference(b"a\nb", b"a\nb\n").line == 2  # a missing final newline counts
    assert first_difference(b"a\n", b"a\n") is None


def test_truncated_output_never_matches():
    result = run_program(RunSpec(b"print('a')\n"), expected=b"a\nb\n")
    assert result.mismatch.line == 2 and result.mismatch.actual is None


def test_runs_in_a_fresh_folder_with_dataset_and_never_in_callers_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "names.txt"
    data.write_text("ann\nbob\n")
    program = b"import os\nprint(open('names.txt').read().split())\nprint(os.getcwd() != %r)\nopen('junk','w')\n" % str(tmp_path).encode()
    result = run_program(RunSpec(program, "prog.py", (data,)))
    assert result.stdout == b"['ann', 'bob']\nTrue\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["names.txt"]


def test_stdin_is_empty():
    result = run_program(RunSpec(b"import sys\nprint(repr(sys.stdin.read()))\n"))
    assert result.stdout == b"''\n"


def test_memory_limit_applies():
    result = run_program(RunSpec(b"x = bytearray(800 * 1024 * 1024)\nprint('allocated')\n"),
                         limits=RunLimits(memory_limit_mb=200))
    assert result.returncode != 0 and b"MemoryError" in result.stderr


def test_sibling_modules_are_copied(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 41\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg.inner import X\n")
    (tmp_path / "pkg" / "inner.py").write_text("X = 1\n")
    main = tmp_path / "main.py"
    main.write_text("import helper\nfrom pkg import X\nimport math\nprint(helper.VALUE + X)\n")
    modules = local_module_copies(main)
    assert [name for name, _ in modules] == ["helper.py", "pkg/__init__.py", "pkg/inner.py"]
    result = run_program(RunSpec(main.read_bytes(), "main.py", modules=modules))
    assert result.stdout == b"42\n"
    assert (tmp_path / "helper.py").read_text() == "VALUE = 41\n"


def test_children_of_a_stopped_run_are_stopped_too(tmp_path):
    marker = tmp_path / "alive"
    program = (
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3); open({str(marker)!r}, \"w\")'])\n"
        "print('started', flush=True)\n"
        "while True: pass\n"
    ).encode()
    # The marker's folder is writable for the run, so the child could write it were it alive.
    run_program(RunSpec(program), limits=RunLimits(timeout=1.0, writable=(tmp_path,)))
    time.sleep(4)
    assert not marker.exists()


def test_a_run_compared_with_a_live_log_stops_at_its_first_difference():
    import threading

    from golfkit.runner import LiveLog

    log = LiveLog()
    writer = threading.Thread(target=lambda: run_program(
        RunSpec(b"import time\nfor i in range(30):\n    print(i, flush=True)\n    time.sleep(0.1)\n"),
        limits=RunLimits(timeout=30, on_output=log.add)))
    writer.start()
    result = run_program(RunSpec(b"for i in range(30):\n    print(i if i != 3 else 'x')\n"), expected=log)
    assert result.mismatch.line == 4 and result.mismatch.expected == b"3\n" and result.mismatch.actual == b"x\n"
    writer.join()
    log.end()
    assert log.line(29) == b"29\n" and log.line(30) is None


# Sandboxed runs (golfkit.sandbox): the same figures as plain runs.
STATUS = sandbox_status(RUN_SANDBOX)
needs_bwrap = pytest.mark.skipif(not STATUS.available, reason=f"sandboxed runs cannot run here: {STATUS.detail}")


def both(program: bytes, **limits) -> tuple:
    return tuple(run_program(RunSpec(program), limits=RunLimits(sandbox=sandboxed, **limits)) for sandboxed in (False, True))


@needs_bwrap
@pytest.mark.parametrize("program, status", [
    (b"import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", -9),
    (b"import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n", -15),
    (b"import os\nos.abort()\n", -6),
    (b"import sys\nsys.exit(137)\n", 137),  # what bwrap alone reports for SIGKILL
    (b"raise KeyboardInterrupt\n", -2),
])
def test_a_sandboxed_run_exits_with_the_status_of_a_plain_one(program, status):
    plain, sandboxed = both(program)
    assert plain.returncode == sandboxed.returncode == status
    assert plain.stderr == sandboxed.stderr


@needs_bwrap
def test_a_sandboxed_runs_peak_memory_is_the_programs():
    allocate = b"x = bytearray(300 * 1024 * 1024)\nfor i in range(0, len(x), 4096): x[i] = 1\nprint('done')\n"
    plain, sandboxed = both(allocate)
    assert sandboxed.stdout == b"done\n" and sandboxed.peak_memory_kb > 300 * 1024
    assert abs(sandboxed.peak_memory_kb - plain.peak_memory_kb) < 0.1 * plain.peak_memory_kb
    # A small program's figure is its own, not bubblewrap's nor golfkit's (a forked copy counts).
    small = run_program(RunSpec(b"print(1)\n"), limits=RunLimits(sandbox=True))
    assert 3000 < small.peak_memory_kb < 60 * 1024


@needs_bwrap
def test_a_sandboxed_run_sees_the_environment_argv_and_stdin_of_a_plain_one(monkeypatch):
    monkeypatch.setenv("GOLFKIT_TEST_VALUE", "x y")
    monkeypatch.delenv("PERL_BADLANG", raising=False)
    program = (b"import os, signal, sys\nprint([k for k in os.environ if k != 'PWD'], os.environ['GOLFKIT_TEST_VALUE'])\n"
               b"print(sys.argv, sys.stdin.read(), signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGINT))\n"
               b"print(sorted(os.listdir('.')), sorted(os.listdir('/proc/self/fd')))\n")
    spec = RunSpec(program, args=("a", "b c"), stdin=b"in")
    plain, sandboxed = (run_program(spec, limits=RunLimits(sandbox=flag)) for flag in (False, True))
    assert sandboxed.stdout == plain.stdout and sandboxed.returncode == 0


@needs_bwrap
def test_a_sandboxed_run_is_stopped_with_its_children_at_once(tmp_path):
    marker = tmp_path / "alive"
    child = f"import time; time.sleep(2); open({str(marker)!r}, 'w')"
    program = (
        "import os, subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', {child!r}], start_new_session=True)\n"
        "print('started', flush=True)\n"
        "while True: pass\n"
    ).encode()
    started = time.perf_counter()
    result = run_program(RunSpec(program), limits=RunLimits(timeout=1.0, sandbox=True, writable=(tmp_path,)))
    assert result.timed_out and result.returncode is None and time.perf_counter() - started < 5
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    result = run_program(RunSpec(program), limits=RunLimits(timeout=30, cancel=cancel, sandbox=True,
                                                           writable=(tmp_path,)))
    assert result.cancelled and time.perf_counter() - started < 10
    time.sleep(3)
    assert not marker.exists()  # a child in a session of its own ended with its run


@needs_bwrap
def test_a_missing_interpreter_is_the_same_error_sandboxed():
    for sandboxed in (False, True):
        with pytest.raises(FileNotFoundError, match="cannot start interpreter 'no-such-python'"):
            run_program(RunSpec(b"print(1)\n"), "no-such-python", RunLimits(sandbox=sandboxed))


@needs_bwrap
def test_without_perl_the_python_watcher_gives_the_same_figures(monkeypatch):
    monkeypatch.setenv("PERL5OPT", "-w")  # the perl watcher steps aside
    plain, sandboxed = both(b"import os, signal\nprint(1)\nos.kill(os.getpid(), signal.SIGTERM)\n")
    assert (sandboxed.stdout, sandboxed.returncode) == (plain.stdout, plain.returncode) == (b"1\n", -15)
    assert 3000 < sandboxed.peak_memory_kb < 60 * 1024


def test_sandboxed_and_plain_runs_are_cached_apart():
    spec = RunSpec(b"print(1)\n")
    plain = cache_key(spec, sys.executable, 4096, sandbox=False)
    assert cache_key(spec, sys.executable, 4096, sandbox=True) != plain or not STATUS.available
    assert cache_key(spec, sys.executable, 4096, sandbox=False) == plain


def test_no_sandbox_turns_it_off_for_runs_that_do_not_say(monkeypatch):
    monkeypatch.setattr(sandbox, "_runs_sandboxed", True)
    assert RunLimits().sandbox
    sandbox.sandbox_runs(False)
    assert not RunLimits().sandbox and RunLimits(sandbox=True).sandbox
    spec = RunSpec(b"print(1)\n")
    assert cache_key(spec, sys.executable, 4096) == cache_key(spec, sys.executable, 4096, sandbox=False)
