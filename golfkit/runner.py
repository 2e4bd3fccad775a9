"""Run a Python program the way a user would, isolated, and compare its stdout as it streams.

Every run gets a fresh temporary folder holding a copy of the program (under its own file name),
copies of the local modules it imports (``golfkit.modules``) and of its data files and folders.
stdin holds the spec's bytes (empty unless a test case gives some) and the spec's arguments follow
the file name; stdout is compared line by line with the expected log while the program runs, and
the whole process group is stopped at the first difference, on timeout, or on cancellation.

Runs are sandboxed (golfkit.sandbox) unless ``RunLimits.sandbox`` is off or bubblewrap cannot run
here: the program then starts under a watcher that reports its own exit status and peak memory,
so a sandboxed run's figures read as a plain run's.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from golfkit.errors import ExitCode, Interrupted
from golfkit.sandbox import (SandboxError, release_terminal, run_sandbox, runs_sandboxed_by_default, watch_report,
                             watched)

RUN_FOLDER_PLACEHOLDER = b"<run>"


@dataclass(frozen=True)
class Mismatch:
    """The first line (1-based) where the output differs; None stands for a missing line."""

    line: int
    expected: bytes | None
    actual: bytes | None

    def describe(self) -> str:
        def show(text):
            if text is None:
                return "<end of output>"
            try:
                return repr(text.decode("utf-8"))
            except UnicodeDecodeError:  # show the very bytes, not replacement characters
                return repr(text)

        return f"line {self.line}: expected {show(self.expected)}, got {show(self.actual)}"


@dataclass(frozen=True)
class RunResult:
    stdout: bytes
    stderr: bytes
    returncode: int | None  # None: stopped before it exited
    elapsed: float
    peak_memory_kb: int
    timed_out: bool = False
    cancelled: bool = False
    # Set when stdout was compared live and diverged; stdout then ends at the differing line.
    mismatch: Mismatch | None = None

    @property
    def complete(self) -> bool:
        """The program ran to its own exit: its stdout is the whole output."""
        return self.returncode is not None and self.mismatch is None and not self.timed_out and not self.cancelled


@dataclass(frozen=True)
class RunSpec:
    """Everything that determines a run's outcome besides the interpreter."""

    program: bytes
    file_name: str = "prog.py"
    # Data files and folders, each copied into the run folder under its own name (folders whole).
    data: tuple[Path, ...] = ()
    # Local modules the program imports from its own folder: (relative path, bytes).
    modules: tuple[tuple[str, bytes], ...] = ()
    # The test case's command-line arguments and stdin (golfkit.cases); none and empty by default.
    args: tuple[str, ...] = ()
    stdin: bytes = b""


class AnyOf:
    """Set when any of its events is: a run stopped by its own caller or by its whole suite."""

    def __init__(self, *events: threading.Event | None):
        self.events = tuple(event for event in events if event is not None)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


@dataclass
class RunLimits:
    timeout: float | None = None
    memory_limit_mb: int | None = 4096
    cancel: threading.Event | AnyOf | None = None
    on_line: Callable[[int], None] | None = None
    extra_env: dict = field(default_factory=dict)
    # When set, the run's argv is [python, *interpreter_args, file]: e.g. a tracer wrapper.
    interpreter_args: tuple[str, ...] = ()
    # Arguments after the program's file name (e.g. where a tracer wrapper writes its findings).
    program_args: tuple[str, ...] = ()
    # Called with each line of stdout as it arrives (e.g. to feed a ``LiveLog``).
    on_output: Callable[[bytes], None] | None = None
    # Run in the sandbox (when bubblewrap can run here); on unless --no-sandbox said otherwise.
    sandbox: bool = field(default_factory=runs_sandboxed_by_default)
    # Folders besides the run folder that a sandboxed run may write (e.g. a tracer's scratch).
    writable: tuple[Path, ...] = ()


def split_lines(data: bytes) -> list[bytes]:
    """Lines as ``readline`` yields them: split after b"\\n" only, never at b"\\r", so a program
    that prints carriage returns compares equal to itself."""
    lines = data.split(b"\n")
    last = lines.pop()
    return [line + b"\n" for line in lines] + ([last] if last else [])


try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork
except (OSError, AttributeError):
    _prctl = None
_PR_SET_PDEATHSIG = 1


def _child_setup(megabytes: int | None, parent: int, sandboxed: bool):
    def apply():
        if sandboxed:  # it stays in golfkit's session: keep it from golfkit's terminal
            release_terminal()
        if megabytes:
            limit = megabytes * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        # The run lives in its own session, so a golfkit killed outright (SIGKILL) could not stop
        # it: have the kernel kill it when its parent goes.
        if _prctl is not None:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != parent:
                os._exit(1)

    return apply


# Interruption: a signal stops every live run at once, and no new run starts afterwards.
_aborted = threading.Event()
_live: set[subprocess.Popen] = set()
_live_lock = threading.RLock()  # re-entrant: the signal handler may run while main holds it


def abort_all_runs() -> None:
    """Stop every run now and refuse new ones (golfkit is being interrupted)."""
    _aborted.set()
    with _live_lock:
        processes = list(_live)
    for process in processes:
        _kill_group(process)


# Signals that stop golfkit cleanly, with the exit code each one gives.
STOP_SIGNALS = {signal.SIGINT: ExitCode.INTERRUPTED, signal.SIGTERM: ExitCode.TERMINATED,
                signal.SIGHUP: ExitCode.HANGUP}
_deferring = 0
_pending: list[int] = []


def _on_stop_signal(number, frame):
    abort_all_runs()
    if _deferring:  # finishing a set of output files: stop right after it
        _pending.append(number)
        return
    raise Interrupted(number, STOP_SIGNALS[number])


def install_stop_handlers() -> Callable[[], None]:
    """Make SIGINT, SIGTERM and SIGHUP stop every run (no orphaned children, no half-cached
    result) and raise ``Interrupted`` in the main thread; returns a function restoring the old
    handlers. Python's default SIGTERM would end golfkit without any clean-up."""
    _aborted.clear()
    _pending.clear()
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {number: signal.signal(number, _on_stop_signal) for number in STOP_SIGNALS}

    def restore():
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


@contextmanager
def deferred_interrupts():
    """Hold a stop signal until the block ends, e.g. while writing outputs that belong together."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring and _pending:
        number = _pending.pop()
        _pending.clear()
        raise Interrupted(number, STOP_SIGNALS[number])


_swept = False


def _sweep_stale_folders() -> None:
    """Remove run folders left by a golfkit that was killed outright (SIGKILL cannot be caught).
    Each folder's name holds the pid of the golfkit that made it; only dead owners' go."""
    global _swept
    _swept = True
    for folder in Path(tempfile.gettempdir()).glob("golfkit-run-*-*"):
        owner = folder.name.split("-")[2]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass  # alive, or another user's


def _prepare_folder(spec: RunSpec) -> Path:
    if not _swept:
        _sweep_stale_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"golfkit-run-{os.getpid()}-"))
    # Data first: the program and its modules are written last, so no data file can replace them.
    for path in spec.data:
        if path.is_dir():
            shutil.copytree(path, folder / path.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, folder / path.name)
    for relative, data in spec.modules:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / spec.file_name).write_bytes(spec.program)
    return folder


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class LiveLog:
    """The stdout of a run still going (e.g. a reference run side by side with a candidate): its
    lines as they arrive, readable by another run's comparison while it grows."""

    def __init__(self):
        self.lines: list[bytes] = []
        self.ended = False
        self.condition = threading.Condition()

    def add(self, line: bytes) -> None:
        with self.condition:
            self.lines.append(line)
            self.condition.notify_all()

    def end(self) -> None:
        with self.condition:
            self.ended = True
            self.condition.notify_all()

    def line(self, index: int, give_up: Callable[[], bool] = lambda: False) -> bytes | None:
        """Line ``index`` (0-based) once written; None when the log ended before it, or when
        ``give_up()`` turns true while waiting."""
        with self.condition:
            while index >= len(self.lines) and not self.ended:
                if give_up():
                    return None
                self.condition.wait(0.1)
            return self.lines[index] if index < len(self.lines) else None


class _FixedLog:
    """A complete expected log, read like a ``LiveLog``."""

    def __init__(self, data: bytes):
        self.lines = split_lines(data)

    def line(self, index: int, give_up=None) -> bytes | None:
        return self.lines[index] if index < len(self.lines) else None


class _LiveComparer:
    """Compares lines as they arrive with an expected log (complete or ``LiveLog``); remembers
    the first difference."""

    def __init__(self, expected: bytes | LiveLog | None, give_up: Callable[[], bool] = lambda: False):
        self.expected = _FixedLog(expected) if isinstance(expected, bytes) else expected
        self.give_up = give_up
        self.count = 0
        self.mismatch: Mismatch | None = None

    def feed(self, line: bytes) -> bool:
        """False once the output has diverged."""
        self.count += 1
        if self.expected is None:
            return True
        wanted = self.expected.line(self.count - 1, self.give_up)
        if line != wanted:
            self.mismatch = Mismatch(self.count, wanted, line)
            return False
        return True

    def finish(self) -> None:
        """At end of output: a missing line is a difference too."""
        if self.expected is None or self.mismatch is not None:
            return
        missing = self.expected.line(self.count, self.give_up)
        if missing is not None:
            self.mismatch = Mismatch(self.count + 1, missing, None)


def run_program(
    spec: RunSpec,
    python: str = sys.executable,
    limits: RunLimits | None = None,
    expected: bytes | LiveLog | None = None,
) -> RunResult:
    """Run ``spec`` under ``python``; with ``expected`` (a whole log, or the ``LiveLog`` of a run
    going on beside it), stop at the first differing line."""
    limits = limits or RunLimits()
    if _aborted.is_set():
        return RunResult(b"", b"", None, 0.0, 0, cancelled=True)
    folder = _prepare_folder(spec)
    env = dict(os.environ)
    # Line-buffered output lets a diverging candidate be stopped at once; it changes no bytes.
    env.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", **limits.extra_env)
    stderr_file = tempfile.TemporaryFile()
    stdin_file = None
    if spec.stdin:
        # A file, not a pipe: the program reads it at its own pace and no writer can block.
        stdin_file = tempfile.TemporaryFile()
        stdin_file.write(spec.stdin)
        stdin_file.seek(0)
    argv = [python, *limits.interpreter_args, spec.file_name, *limits.program_args, *spec.args]
    sandbox = run_sandbox(limits.sandbox, limits.writable, (python, sys.executable), env.get("PATH"))
    report = None
    if sandbox is not None:  # the watcher's report: the program's exit status and peak memory
        report = tempfile.TemporaryFile()
        argv, env = watched(argv, folder, sandbox, report.fileno(), env)
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            argv,
            cwd=folder,
            stdin=subprocess.DEVNULL if stdin_file is None else stdin_file,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            env=env,
            # Its own process group (to stop it with every child it starts), but golfkit's session:
            # where the kernel groups scheduling by session (autogroup), a run in a session of its
            # own would get a full share against golfkit's, and passes computed meanwhile at a
            # lower thread priority would still slow it down.
            process_group=0,
            pass_fds=() if report is None else (report.fileno(),),
            preexec_fn=_child_setup(limits.memory_limit_mb, os.getpid(), sandbox is not None),
        )
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        for file in (stderr_file, stdin_file, report):
            if file is not None:
                file.close()
        raise FileNotFoundError(f"cannot start interpreter {python!r}: {error.strerror}") from error
    with _live_lock:
        _live.add(process)

    stop_reason: list[str] = []
    exited = threading.Event()
    wait_status: list = []

    def reap():
        # os.wait4 gives this child's own peak memory, which Popen.wait does not.
        _, status, usage = os.wait4(process.pid, 0)
        wait_status.append((status, usage))
        exited.set()
        # Descendants still holding stdout open must not keep the reader waiting.
        _kill_group(process)

    def watchdog():
        deadline = None if limits.timeout is None else started + limits.timeout
        while not exited.wait(0.05):
            if _aborted.is_set() or (limits.cancel is not None and limits.cancel.is_set()):
                stop_reason.append("cancelled")
            elif deadline is not None and time.perf_counter() > deadline:
                stop_reason.append("timeout")
            else:
                continue
            _kill_group(process)
            return

    reaper = threading.Thread(target=reap, daemon=True)
    guard = threading.Thread(target=watchdog, daemon=True)
    reaper.start()
    guard.start()

    comparer = _LiveComparer(expected, give_up=lambda: bool(stop_reason) or _aborted.is_set() or (
        limits.cancel is not None and limits.cancel.is_set()))
    chunks: list[bytes] = []
    try:
        for line in iter(process.stdout.readline, b""):
            chunks.append(line)
            if limits.on_output is not None:
                limits.on_output(line)
            if limits.on_line is not None:
                limits.on_line(comparer.count + 1)
            if not comparer.feed(line):
                stop_reason.append("mismatch")
                _kill_group(process)
                break
    except BaseException:
        _kill_group(process)
        raise
    finally:
        process.stdout.close()
        reaper.join()
        guard.join()
        with _live_lock:
            _live.discard(process)
        elapsed = time.perf_counter() - started
        stderr_file.seek(0)
        stderr = stderr_file.read().replace(str(folder).encode(), RUN_FOLDER_PLACEHOLDER)
        stderr_file.close()
        if stdin_file is not None:
            stdin_file.close()
        shutil.rmtree(folder, ignore_errors=True)
        watch = None if report is None else watch_report(report)
        if report is not None:
            report.close()

    status, usage = wait_status[0]
    peak_memory_kb = usage.ru_maxrss
    if watch is not None:
        if watch.start_error is not None:
            raise FileNotFoundError(f"cannot start interpreter {python!r}: {os.strerror(watch.start_error)}")
        if watch.status is not None:
            status, peak_memory_kb = watch.status, watch.peak_memory_kb
        elif not stop_reason and not _aborted.is_set() and stderr.startswith(b"bwrap: "):
            message = stderr.decode("utf-8", "replace").strip().splitlines()[-1]
            raise SandboxError(f"the sandbox could not start a run ({message}); --no-sandbox runs without it")
    if _aborted.is_set() and not stop_reason:
        # Killed by an interruption, not ended by itself: never a result to judge or cache.
        stop_reason.append("cancelled")
    if not stop_reason:
        comparer.finish()
        if limits.cancel is not None and limits.cancel.is_set() and comparer.mismatch is None:
            stop_reason.append("cancelled")  # gave up waiting for a live log that was stopped
    timed_out = "timeout" in stop_reason
    cancelled = "cancelled" in stop_reason
    returncode = None if stop_reason else os.waitstatus_to_exitcode(status)
    return RunResult(
        stdout=b"".join(chunks),
        stderr=stderr,
        returncode=returncode,
        elapsed=elapsed,
        peak_memory_kb=peak_memory_kb,
        timed_out=timed_out,
        cancelled=cancelled,
        mismatch=comparer.mismatch,
    )


def runs_aborted() -> bool:
    """Whether golfkit is being interrupted (no new run starts)."""
    return _aborted.is_set()


def first_difference(actual: bytes, expected: bytes) -> Mismatch | None:
    """The first differing line of two complete outputs, compared as bytes."""
    comparer = _LiveComparer(expected)
    for line in split_lines(actual):
        if not comparer.feed(line):
            return comparer.mismatch
    comparer.finish()
    return comparer.mismatch
