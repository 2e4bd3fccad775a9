"""Run a Python program the way a user would, isolated, and compare its stdout as it streams.

Every run gets a fresh temporary folder holding a copy of the program (under its own file name),
copies of the sibling modules it imports, and a copy of the dataset. stdin is empty, stdout is
compared line by line with the expected log while the program runs, and the whole process group
is stopped at the first difference, on timeout, or on cancellation.
"""

from __future__ import annotations

import ast
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

RUN_FOLDER_PLACEHOLDER = b"<run>"


@dataclass(frozen=True)
class Mismatch:
    """The first line (1-based) where the output differs; None stands for a missing line."""

    line: int
    expected: bytes | None
    actual: bytes | None

    def describe(self) -> str:
        def show(text):
            return "<end of output>" if text is None else repr(text.decode("utf-8", "replace"))

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
    dataset: Path | None = None  # copied into the run folder as input.txt
    # Sibling modules the program imports from its own folder: name -> bytes (relative paths).
    modules: tuple[tuple[str, bytes], ...] = ()
    dataset_name: str = "input.txt"


@dataclass
class RunLimits:
    timeout: float | None = None
    memory_limit_mb: int | None = 4096
    cancel: threading.Event | None = None
    on_line: Callable[[int], None] | None = None
    extra_env: dict = field(default_factory=dict)
    # When set, the run's argv is [python, *interpreter_args, file]: e.g. a tracer wrapper.
    interpreter_args: tuple[str, ...] = ()


def sibling_modules(source_path: Path) -> tuple[tuple[str, bytes], ...]:
    """Copies of the modules ``source_path`` imports from its own folder (top-level imports found
    by parsing; modules and packages), so a program split over several files still runs."""
    folder = source_path.parent
    try:
        tree = ast.parse(source_path.read_bytes())
    except (SyntaxError, ValueError):
        return ()
    wanted = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wanted.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            wanted.add(node.module.split(".")[0])
    found: list[tuple[str, bytes]] = []
    for name in sorted(wanted):
        module_file = folder / f"{name}.py"
        package = folder / name
        if module_file.is_file() and module_file.resolve() != source_path.resolve():
            found.append((module_file.name, module_file.read_bytes()))
        elif package.is_dir() and (package / "__init__.py").is_file():
            for path in sorted(package.rglob("*.py")):
                found.append((str(path.relative_to(folder)), path.read_bytes()))
    return tuple(found)


def _limit_memory(megabytes: int | None):
    def apply():
        if megabytes:
            limit = megabytes * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _prepare_folder(spec: RunSpec) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="golfkit-run-"))
    (folder / spec.file_name).write_bytes(spec.program)
    for relative, data in spec.modules:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if spec.dataset is not None:
        shutil.copyfile(spec.dataset, folder / spec.dataset_name)
    return folder


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _LiveComparer:
    """Compares lines as they arrive; remembers the first difference."""

    def __init__(self, expected: bytes | None):
        self.expected_lines = None if expected is None else expected.splitlines(keepends=True)
        self.count = 0
        self.mismatch: Mismatch | None = None

    def feed(self, line: bytes) -> bool:
        """False once the output has diverged."""
        self.count += 1
        if self.expected_lines is None:
            return True
        index = self.count - 1
        wanted = self.expected_lines[index] if index < len(self.expected_lines) else None
        if line != wanted:
            self.mismatch = Mismatch(self.count, wanted, line)
            return False
        return True

    def finish(self) -> None:
        """At end of output: a missing line is a difference too."""
        if self.expected_lines is not None and self.mismatch is None and self.count < len(self.expected_lines):
            self.mismatch = Mismatch(self.count + 1, self.expected_lines[self.count], None)


def run_program(
    spec: RunSpec,
    python: str = sys.executable,
    limits: RunLimits | None = None,
    expected: bytes | None = None,
) -> RunResult:
    """Run ``spec`` under ``python``; with ``expected``, stop at the first differing line."""
    limits = limits or RunLimits()
    folder = _prepare_folder(spec)
    env = dict(os.environ)
    # Line-buffered output lets a diverging candidate be stopped at once; it changes no bytes.
    env.update(PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", **limits.extra_env)
    stderr_file = tempfile.TemporaryFile()
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            [python, *limits.interpreter_args, spec.file_name],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            env=env,
            start_new_session=True,
            preexec_fn=_limit_memory(limits.memory_limit_mb),
        )
    except OSError as error:
        shutil.rmtree(folder, ignore_errors=True)
        stderr_file.close()
        raise FileNotFoundError(f"cannot start interpreter {python!r}: {error.strerror}") from error

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
            if limits.cancel is not None and limits.cancel.is_set():
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

    comparer = _LiveComparer(expected)
    chunks: list[bytes] = []
    try:
        for line in iter(process.stdout.readline, b""):
            chunks.append(line)
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
        elapsed = time.perf_counter() - started
        stderr_file.seek(0)
        stderr = stderr_file.read().replace(str(folder).encode(), RUN_FOLDER_PLACEHOLDER)
        stderr_file.close()
        shutil.rmtree(folder, ignore_errors=True)

    status, usage = wait_status[0]
    if not stop_reason:
        comparer.finish()
    timed_out = "timeout" in stop_reason
    cancelled = "cancelled" in stop_reason
    returncode = None if stop_reason else os.waitstatus_to_exitcode(status)
    return RunResult(
        stdout=b"".join(chunks),
        stderr=stderr,
        returncode=returncode,
        elapsed=elapsed,
        peak_memory_kb=usage.ru_maxrss,
        timed_out=timed_out,
        cancelled=cancelled,
        mismatch=comparer.mismatch,
    )


def first_difference(actual: bytes, expected: bytes) -> Mismatch | None:
    """The first differing line of two complete outputs, compared as bytes."""
    comparer = _LiveComparer(expected)
    for line in actual.splitlines(keepends=True):
        if not comparer.feed(line):
            return comparer.mismatch
    comparer.finish()
    return comparer.mismatch
