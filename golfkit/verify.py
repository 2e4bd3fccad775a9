"""Strict parity: a candidate is identical only when its stdout bytes, stderr and exit status all
equal the reference's, on every test case (golfkit.cases). Runs go through the cache; a divergent
run stops at its first bad line, and the first case that differs stops the others."""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from golfkit.cache import RunCache, run_key
from golfkit.cases import Case, suite
from golfkit.errors import ExitCode, GolfkitError, ReferenceRunsVoid, RunTimeout
from golfkit.runner import (AnyOf, LiveLog, Mismatch, RunLimits, RunResult, RunSpec, first_difference,
                            run_program, runs_aborted, split_lines)
from golfkit.sandbox import run_sandbox, runs_sandboxed_by_default, unsandboxed_reason


@dataclass(frozen=True)
class Verdict:
    identical: bool
    reason: str  # "identical", or what differs first
    result: RunResult
    cached: bool = False
    # Verified under the fast pre-check interpreter only (an intermediate candidate).
    prechecked: bool = False
    # Each case's run, in suite order, when the suite has several; ``result`` is then the run of
    # the case that differed, or the suite's totals (``totals``).
    results: tuple[RunResult, ...] = ()

    @property
    def mismatch(self) -> Mismatch | None:
        return self.result.mismatch


CANCELLED = RunResult(b"", b"", None, 0.0, 0, cancelled=True)


def totals(results: Sequence[RunResult]) -> RunResult:
    """A suite's runs as one for its figures: the time summed, the peak memory the highest (the
    logs joined only count lines). One run is itself."""
    if len(results) == 1:
        return results[0]
    return RunResult(
        stdout=b"".join(result.stdout for result in results), stderr=b"".join(result.stderr for result in results),
        returncode=next((result.returncode for result in results if result.returncode != 0), 0),
        elapsed=sum(result.elapsed for result in results),
        peak_memory_kb=max(result.peak_memory_kb for result in results),
        timed_out=any(result.timed_out for result in results), cancelled=any(result.cancelled for result in results),
    )


def named(verdict: Verdict, case: Case) -> Verdict:
    """``verdict`` with its reason naming ``case`` when it differs (the implicit case has no name)."""
    if verdict.identical or not case.label or verdict.reason == "cancelled":
        return verdict
    return dataclasses.replace(verdict, reason=f"{case.label}: {verdict.reason}")


def cached_run(
    spec: RunSpec,
    python: str,
    cache: RunCache,
    limits: RunLimits,
    expected: bytes | None = None,
    salt: str = "",
) -> tuple[RunResult, bool]:
    """A run's result, from the cache when possible, compared against ``expected`` if given."""
    key = cache_key(spec, python, limits.memory_limit_mb, salt, limits.sandbox)
    # A program found not deterministic may print anything next time: its runs are never reused.
    reusable = not cache.known_nondeterministic(key)
    hit = cache.get(key) if reusable else None
    if hit is None and reusable:
        # Another golfkit making this very run: wait for it and read its result.
        with cache.claim(key, give_up=lambda: runs_aborted() or (limits.cancel is not None and limits.cancel.is_set())):
            hit = cache.get(key)
            if hit is None or not _settles(hit, expected):
                result = run_program(spec, python, limits, expected)
                cache.put(key, result)
                return result, False
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


def cache_key(spec: RunSpec, python: str, memory_limit_mb: int | None, salt: str = "",
              sandbox: bool | None = None) -> str:
    """The run cache's key for a run: the memory limit can decide the outcome (MemoryError), so
    runs under another limit than the default are cached apart; so are runs made without the
    sandbox (a program may behave otherwise where it can write or connect anywhere): those that
    ``sandbox`` (None: this process's default) turns off, or that bubblewrap cannot run here.
    Sandboxed runs, the default, keep the keys runs had before the sandbox."""
    if memory_limit_mb != RunLimits.memory_limit_mb:
        salt = f"{salt}|memory={memory_limit_mb}"
    if run_sandbox(runs_sandboxed_by_default() if sandbox is None else sandbox) is None:
        salt = f"{salt}|unsandboxed"
    return run_key(spec, python, salt)


def _settles(hit: RunResult, expected: bytes | None) -> bool:
    """Whether a cached run answers a request compared against ``expected``."""
    if hit.mismatch is None:
        return True
    if expected is None:
        return False
    mismatch = first_difference(hit.stdout, expected)
    return mismatch is not None and mismatch.actual is not None


def judge(result: RunResult, reference: RunResult, judge_stderr: bool = True) -> str:
    """The verdict's reason: "identical" or the first thing that differs (stderr left out when
    the reference's is unknown, e.g. a log file)."""
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
    if judge_stderr and result.stderr != reference.stderr:
        difference = first_difference(result.stderr, reference.stderr)
        return f"stderr differs at {difference.describe()}"[:300]
    return "identical"


class Verifier:
    """Checks candidates against the reference's run on each test case."""

    def __init__(
        self,
        reference: RunResult | Sequence[RunResult],
        *,
        cases: Sequence[Case] = (),
        python: str = sys.executable,
        data: tuple[Path, ...] = (),
        cache: RunCache | None = None,
        timeout: float | None = None,
        memory_limit_mb: int | None = 4096,
        precheck_python: str | None = None,
        judge_stderr: bool = True,
        jobs: int | None = None,
        sandbox: bool | None = None,
        target_pending: float | None = None,
    ):
        """``target_pending``: the references are the pre-check interpreter's, standing in for the
        target's while its reference still runs (for this many seconds so far, which limits scale
        from meanwhile); runs under the target wait for ``confirm_target`` (or ``void_target``)."""
        self.references = (reference,) if isinstance(reference, RunResult) else tuple(reference)
        self.cases = suite(cases)
        if len(self.cases) != len(self.references):
            raise ValueError(f"{len(self.references)} reference runs for {len(self.cases)} cases")
        self.judge_stderr = judge_stderr
        self.precheck_python = precheck_python
        self.python = python
        self.data = data
        self.cache = cache or RunCache(enabled=False)
        self.given_timeout = timeout
        self._target_ready = threading.Event()
        self._target_void = False
        if target_pending is None:
            self._target_ready.set()
        self._use_references(self.references, target_pending)
        self.memory_limit_mb = memory_limit_mb
        # Whether runs ask for the sandbox (None: this process's default), and why they go
        # without it, if they do (report.json says so).
        self.sandbox = runs_sandboxed_by_default() if sandbox is None else sandbox
        self.unsandboxed = unsandboxed_reason(self.sandbox)
        self.runs_made = 0  # runs not found in the cache, under either interpreter
        self.precheck_runs_made = 0  # of which under the pre-check interpreter
        self._lock = threading.Lock()
        # Runs at once of the cases of all candidates together (None: no bound).
        self._slots = threading.BoundedSemaphore(jobs) if jobs else None

    def _use_references(self, references: Sequence[RunResult], seconds_so_far: float | None = None) -> None:
        self.references = tuple(references)
        self.reference = totals(self.references)
        # Each case's limit scales with the reference's time on that case. While the target's
        # own reference is pending its time is unknown: limits are then at least a reference's,
        # so a candidate slowed by a loaded machine is never cut short before the target's
        # time can tell.
        if seconds_so_far is None:
            limits = (default_timeout(run.elapsed) for run in self.references)
        else:
            limits = (max(default_timeout(max(run.elapsed, seconds_so_far)), REFERENCE_TIMEOUT) for run in self.references)
        self.timeouts = tuple(self.given_timeout if self.given_timeout is not None else limit for limit in limits)
        self.timeout = max(self.timeouts)

    def confirm_target(self, references: Sequence[RunResult]) -> None:
        """The target's own reference runs, which logged what the stand-ins did: runs under the
        target go ahead, judged and timed against them."""
        self._use_references(references)
        self._target_ready.set()

    def void_target(self) -> None:
        """The target's reference did not confirm the stand-ins: runs under the target give up."""
        self._target_void = True
        self._target_ready.set()

    def _await_target(self, cancel) -> None:
        while not self._target_ready.wait(0.1):
            if cancel is not None and cancel.is_set():
                return  # the run that follows sees the cancel and ends at once
        if self._target_void:
            raise ReferenceRunsVoid()

    @property
    def expected_lines(self) -> int:
        return sum(len(split_lines(run.stdout)) for run in self.references)

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
        """Judge ``program`` on every case. An intermediate candidate (``final=False``) may be judged
        by the fast pre-check interpreter alone; a final artifact always runs under the target
        interpreter. Several cases run side by side, and the first that differs stops the others."""
        base = RunSpec(program, file_name, self.data, modules)
        if len(self.cases) == 1:
            return named(self._check_case(0, base, cancel, on_line, python, final), self.cases[0])
        return self._check_suite(base, cancel, on_line, python, final)

    def _check_case(self, index: int, base: RunSpec, cancel, on_line, python: str | None, final: bool) -> Verdict:
        spec = self.cases[index].applied(base)
        if self.precheck_python and not final and python is None:
            limits = RunLimits(self.timeouts[index], self.memory_limit_mb, cancel, on_line, sandbox=self.sandbox)
            verdict = self._precheck(spec, limits, self.references[index])
            if verdict is not None:
                return verdict
        self._await_target(cancel)
        reference = self.references[index]
        limits = RunLimits(self.timeouts[index], self.memory_limit_mb, cancel, on_line, sandbox=self.sandbox)
        result, cached = cached_run(spec, python or self.python, self.cache, limits, reference.stdout)
        if not cached:
            with self._lock:
                self.runs_made += 1
        reason = judge(result, reference, self.judge_stderr)
        return Verdict(reason == "identical", reason, result, cached)

    def _check_suite(self, base: RunSpec, cancel, on_line, python: str | None, final: bool) -> Verdict:
        stop = threading.Event()
        halt = AnyOf(stop, cancel)
        lines = [0] * len(self.cases)
        failed: list[int] = []  # the cases that differed, in the order they were found

        def progress(index: int):
            def seen(count: int) -> None:
                lines[index] = count
                on_line(sum(lines))

            return None if on_line is None else seen

        def run_case(index: int) -> Verdict | None:
            try:
                with self._slot(halt) as granted:
                    if not granted:
                        return None
                    verdict = self._check_case(index, base, halt, progress(index), python, final)
            except BaseException:
                stop.set()
                raise
            if not verdict.identical and not verdict.result.cancelled:
                with self._lock:
                    failed.append(index)
                stop.set()
            return verdict

        with ThreadPoolExecutor(max_workers=len(self.cases), thread_name_prefix="golfkit-case") as executor:
            verdicts = list(executor.map(run_case, range(len(self.cases))))
        results = tuple(CANCELLED if verdict is None else verdict.result for verdict in verdicts)
        if failed:
            first = failed[0]
            return named(dataclasses.replace(verdicts[first], results=results), self.cases[first])
        if any(result.cancelled for result in results):
            return Verdict(False, "cancelled", CANCELLED, results=results)
        return Verdict(True, "identical", totals(results), all(verdict.cached for verdict in verdicts),
                       all(verdict.prechecked for verdict in verdicts), results)

    @contextmanager
    def _slot(self, halt: AnyOf):
        """Held while one case runs; yields False when the suite stopped before a slot was free."""
        if self._slots is None:
            yield True
            return
        while not self._slots.acquire(timeout=0.1):
            if halt.is_set():
                yield False
                return
        try:
            yield True
        finally:
            self._slots.release()

    def _precheck(self, spec: RunSpec, limits: RunLimits, reference: RunResult) -> Verdict | None:
        """A verdict from the pre-check interpreter, or None when it cannot judge (syntax it lacks)."""
        result, cached = cached_run(spec, self.precheck_python, self.cache, limits, reference.stdout)
        if not cached:
            with self._lock:
                self.runs_made += 1
                self.precheck_runs_made += 1
        if result.returncode is not None and result.returncode != 0 and b"SyntaxError" in result.stderr \
                and not result.stdout:
            return None
        reason = judge(result, reference)
        return Verdict(reason == "identical", reason if reason == "identical" else f"{reason} (pre-check)",
                       result, cached, prechecked=True)


# A reference (or a run judged against a log file) has no earlier run to scale a limit from; an
# endless program is given up after this long, and the progress line says so.
REFERENCE_TIMEOUT = 1200.0


def describe_limit(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


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
    cancel: threading.Event | None = None,
    require_clean: bool = False,
    sandbox: bool | None = None,
) -> RunResult:
    """Run the reference to completion; raise a one-line error when it cannot serve as one."""
    limits = RunLimits(timeout, memory_limit_mb, cancel, on_line)
    if sandbox is not None:
        limits.sandbox = sandbox
    result, _ = cached_run(spec, python, cache, limits, None, salt)
    return checked_reference(result, name, timeout, memory_limit_mb, require_clean)


# How Python (and PyPy) begins the report of an uncaught exception on stderr.
TRACEBACK = b"Traceback (most recent call last):"


def checked_reference(result: RunResult, name: str, timeout: float | None, memory_limit_mb: int | None,
                      require_clean: bool = False) -> RunResult:
    """``result`` when it can serve as a reference; else a one-line error saying why and what to do.

    A non-zero exit status and stderr are behaviour to reproduce, like stdout. Refused: a run that
    timed out or was killed by a signal, one that ran out of memory, and one that ends in an
    uncaught exception, whose traceback shows line numbers every rewrite changes (no golfed file
    could match it); with ``require_clean``, any non-zero status or stderr."""
    if result.cancelled:
        raise GolfkitError(f"{name}: run interrupted", ExitCode.INTERRUPTED)
    if result.timed_out:
        raise RunTimeout(f"{name}: still running after {timeout:.0f} s; raise --timeout or shorten the run (--set)")
    if result.returncode == 0 and not (require_clean and result.stderr):
        return result
    last = (result.stderr.strip().splitlines() or [b"(no stderr)"])[-1].decode("utf-8", "replace")[:200]
    what = f"{name} exits with status {result.returncode}: {last}"
    if result.returncode < 0:
        why = f"{name} exits with status {result.returncode}: killed by {_signal_name(-result.returncode)}"
        raise GolfkitError(f"{why}; a run stopped by a signal is no behaviour to reproduce", ExitCode.REFERENCE)
    if result.returncode != 0 and b"MemoryError" in result.stderr:
        raise GolfkitError(f"{what}; it ran out of memory under the {memory_limit_mb} MB limit: raise --memory-limit",
                           ExitCode.REFERENCE)
    if result.returncode != 0 and TRACEBACK in result.stderr:
        hint = ""
        if b"EOFError" in result.stderr:
            hint = "; it reads stdin, but this run's stdin is empty: give it with --case-stdin FILE or --cases FILE"
        elif b"IndexError" in result.stderr and b"argv" in result.stderr:
            hint = "; it reads command-line arguments, but this run has none: give them with --case 'ARGS'"
        # Input missing from the run explains the crash; else the traceback itself is the trouble.
        raise GolfkitError(what + (hint or "; an uncaught exception's traceback shows line numbers that golfing "
                                           "changes: the reference must not end in one"), ExitCode.REFERENCE)
    if require_clean:
        if result.returncode == 0:
            what = f"{name} writes to stderr: {last}"
        raise GolfkitError(f"{what}; --require-clean wants exit status 0 and nothing on stderr", ExitCode.REFERENCE)
    return result


def verify_side_by_side(
    candidate: RunSpec,
    reference: RunSpec,
    *,
    python: str,
    cache: RunCache,
    timeout: float | None,
    memory_limit_mb: int | None,
    name: str = "reference",
    on_line: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
    require_clean: bool = False,
) -> Verdict:
    """Judge ``candidate`` against a reference not run yet: both run at once, the candidate's
    stdout compared line by line with the reference's as the two are written, and both stopped at
    the first difference, so a broken candidate is known in seconds, not after a reference run.
    ``cancel`` stops both (another case of the suite differed): the verdict is then "cancelled"."""
    log = LiveLog()
    stop_reference = threading.Event()
    halt = AnyOf(stop_reference, cancel)
    reference_key = cache_key(reference, python, memory_limit_mb)

    def run_the_reference() -> RunResult:
        try:
            limits = RunLimits(timeout, memory_limit_mb, halt, on_line, on_output=log.add)
            result = run_program(reference, python, limits)
        finally:
            log.end()
        cache.put(reference_key, result)
        return result

    with ThreadPoolExecutor(max_workers=1) as executor:
        reference_future = executor.submit(run_the_reference)
        try:
            result = run_program(candidate, python, RunLimits(timeout, memory_limit_mb, halt), log)
        except BaseException:
            stop_reference.set()
            raise
        if not result.complete and not reference_future.done():
            stop_reference.set()  # the candidate diverged, crashed its stream or timed out: the verdict is known
        reference_result = reference_future.result()
    if not reference_result.cancelled:
        # The reference ended by itself: it must be one (a crashed reference is no yardstick).
        checked_reference(reference_result, name, timeout, memory_limit_mb, require_clean)
    elif cancel is not None and cancel.is_set():
        return Verdict(False, "cancelled", CANCELLED)
    elif result.complete:
        raise GolfkitError(f"{name}: run interrupted", ExitCode.INTERRUPTED)
    cache.put(cache_key(candidate, python, memory_limit_mb), result)
    reason = judge(result, reference_result)
    return Verdict(reason == "identical", reason, result)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
