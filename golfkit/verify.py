"""Strict parity: a candidate is identical only when its stdout bytes, stderr and exit status all
equal the reference's. Runs go through the cache; a divergent run stops at its first bad line."""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from golfkit.cache import RunCache, run_key
from golfkit.errors import ExitCode, GolfkitError, RunTimeout
from golfkit.runner import Mismatch, RunLimits, RunResult, RunSpec, first_difference, run_program, split_lines


@dataclass(frozen=True)
class Verdict:
    identical: bool
    reason: str  # "identical", or what differs first
    result: RunResult
    cached: bool = False
    # Verified under the fast pre-check interpreter only (an intermediate candidate).
    prechecked: bool = False

    @property
    def mismatch(self) -> Mismatch | None:
        return self.result.mismatch


def cached_run(
    spec: RunSpec,
    python: str,
    cache: RunCache,
    limits: RunLimits,
    expected: bytes | None = None,
    salt: str = "",
) -> tuple[RunResult, bool]:
    """A run's result, from the cache when possible, compared against ``expected`` if given."""
    if limits.memory_limit_mb != RunLimits.memory_limit_mb:
        # The memory limit can decide the outcome (MemoryError): runs under another limit than
        # the default are cached apart.
        salt = f"{salt}|memory={limits.memory_limit_mb}"
    key = run_key(spec, python, salt)
    hit = cache.get(key)
    if hit is not None:
        if hit.mismatch is None and expected is not None:
            return dataclasses.replace(hit, mismatch=first_difference(hit.stdout, expected)), True
        if hit.mismatch is None:
            return hit, True
        # A stored divergence is a true prefix of the program's output: it settles the verdict
        # whenever it also diverges from the log asked about now.
        if expected is not None:
            mismatch = first_difference(hit.stdout, expected)
            if mismatch is not None and mismatch.actual is not None:
                return dataclasses.replace(hit, mismatch=mismatch), True
    result = run_program(spec, python, limits, expected)
    cache.put(key, result)
    return result, False


def judge(result: RunResult, reference: RunResult) -> str:
    """The verdict's reason: "identical" or the first thing that differs."""
    if result.cancelled:
        return "cancelled"
    if result.timed_out:
        return f"timed out after {result.elapsed:.0f} s"
    if result.mismatch is not None:
        return f"stdout differs at {result.mismatch.describe()}"
    if result.stdout != reference.stdout:
        return "stdout differs"
    if result.returncode != reference.returncode:
        return f"exit status {result.returncode}, expected {reference.returncode}"
    if result.stderr != reference.stderr:
        first = (result.stderr.strip().splitlines() or [b""])[-1].decode("utf-8", "replace")
        return f"stderr differs: {first[:120]!r}"
    return "identical"


class Verifier:
    """Checks candidates against one reference run."""

    def __init__(
        self,
        reference: RunResult,
        *,
        python: str = sys.executable,
        dataset: Path | None = None,
        cache: RunCache | None = None,
        timeout: float | None = None,
        memory_limit_mb: int | None = 4096,
        precheck_python: str | None = None,
    ):
        self.reference = reference
        self.precheck_python = precheck_python
        self.python = python
        self.dataset = dataset
        self.cache = cache or RunCache(enabled=False)
        self.timeout = timeout if timeout is not None else default_timeout(reference.elapsed)
        self.memory_limit_mb = memory_limit_mb
        self.runs_made = 0  # runs not found in the cache, under either interpreter
        self.precheck_runs_made = 0  # of which under the pre-check interpreter
        self._lock = threading.Lock()

    @property
    def expected_lines(self) -> int:
        return len(split_lines(self.reference.stdout))

    def check(
        self,
        program: bytes,
        *,
        file_name: str = "prog.py",
        modules: tuple = (),
        cancel: threading.Event | None = None,
        on_line: Callable[[int], None] | None = None,
        python: str | None = None,
        final: bool = True,
    ) -> Verdict:
        """Judge ``program``. An intermediate candidate (``final=False``) may be judged by the fast
        pre-check interpreter alone; a final artifact always runs under the target interpreter."""
        spec = RunSpec(program, file_name, self.dataset, modules)
        limits = RunLimits(self.timeout, self.memory_limit_mb, cancel, on_line)
        if self.precheck_python and not final and python is None:
            verdict = self._precheck(spec, limits)
            if verdict is not None:
                return verdict
        result, cached = cached_run(spec, python or self.python, self.cache, limits, self.reference.stdout)
        if not cached:
            with self._lock:
                self.runs_made += 1
        reason = judge(result, self.reference)
        return Verdict(reason == "identical", reason, result, cached)


    def _precheck(self, spec: RunSpec, limits: RunLimits) -> Verdict | None:
        """A verdict from the pre-check interpreter, or None when it cannot judge (syntax it lacks)."""
        result, cached = cached_run(spec, self.precheck_python, self.cache, limits, self.reference.stdout)
        if not cached:
            with self._lock:
                self.runs_made += 1
                self.precheck_runs_made += 1
        if result.returncode is not None and result.returncode != 0 and b"SyntaxError" in result.stderr \
                and not result.stdout:
            return None
        reason = judge(result, self.reference)
        return Verdict(reason == "identical", reason if reason == "identical" else f"{reason} (pre-check)",
                       result, cached, prechecked=True)


# A reference (or a run judged against a log file) has no earlier run to scale a limit from.
REFERENCE_TIMEOUT = 3600.0


def default_timeout(reference_seconds: float) -> float:
    """Candidates may be slower than the reference, and run side by side; beyond this they hang."""
    return 3 * reference_seconds + 30


def run_reference(
    spec: RunSpec,
    *,
    python: str,
    cache: RunCache,
    timeout: float | None,
    memory_limit_mb: int | None,
    on_line: Callable[[int], None] | None = None,
    salt: str = "",
    name: str = "reference",
) -> RunResult:
    """Run the reference to completion; raise a one-line error when it cannot serve as one."""
    limits = RunLimits(timeout, memory_limit_mb, None, on_line)
    result, _ = cached_run(spec, python, cache, limits, None, salt)
    if result.cancelled:
        raise GolfkitError(f"{name}: run interrupted", ExitCode.INTERRUPTED)
    if result.timed_out:
        raise RunTimeout(f"{name}: still running after {timeout:.0f} s; raise --timeout or shorten the run (--set)")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [b"(no stderr)"])[-1].decode("utf-8", "replace")[:200]
        if result.returncode < 0:
            last = f"killed by {_signal_name(-result.returncode)}"
        hint = ""
        if b"MemoryError" in result.stderr:
            hint = f"; it ran out of memory under the {memory_limit_mb} MB limit: raise --memory-limit"
        elif b"EOFError" in result.stderr:
            hint = "; it reads stdin, but runs get an empty stdin"
        elif b"IndexError" in result.stderr and b"argv" in result.stderr:
            hint = "; it reads command-line arguments, but runs get none"
        raise GolfkitError(
            f"{name} exits with status {result.returncode}: {last}{hint}; the reference must run cleanly",
            ExitCode.REFERENCE,
        )
    return result


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
