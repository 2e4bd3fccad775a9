"""The reference runs a build starts with.

The reference runs twice side by side; the second copy carries block probes (golfkit.trace) when
contract passes want to know which bodies ran. Both logs must agree, or the program is not
deterministic and cannot be golfed. With a pre-check interpreter, the second copy runs under it:
that interpreter stands in for the target only if it reproduces the whole log (and, when chosen
automatically, only if it is faster on this program). Should its log differ, the target repeats
the reference and the pre-check interpreter runs it plain, to tell which of these failed.

With test cases (golfkit.cases) all this happens once per case, the cases side by side (up to
--jobs at once): each case must be deterministic, the pre-check interpreter must reproduce every
case, and contract passes get the union of the lines the cases executed (no trace at all when a
case has none, since a branch only that case ran would look dead).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from golfkit import trace
from golfkit.cache import RunCache, atomic_write
from golfkit.cases import Case, case_label, suite
from golfkit.errors import ExitCode, GolfkitError, ReferenceRunsVoid, RunTimeout
from golfkit.options import Options
from golfkit.pipeline import SilentListener
from golfkit.runner import RunLimits, RunResult, RunSpec, first_difference, run_program, runs_aborted
from golfkit.verify import (REFERENCE_TIMEOUT, cache_key, cached_run, checked_reference, describe_limit, judge,
                            run_reference, totals)

# The interpreter `--precheck-python auto` looks for; how much faster than the target it must run
# the reference to be worth it; and the shortest reference it is used for: on short runs a JIT
# gains nothing, and timings that close would decide by chance.
AUTO_PRECHECK = "pypy3"
AUTO_SPEED_GAIN = 0.8
AUTO_MIN_SECONDS = 5.0
# How long `auto` lets the target's own runs (the reference and its probed repeat) go before it
# starts the pre-check interpreter's: a program done by then needs no pre-check, and that
# interpreter's start-up alone would take longer.
AUTO_GRACE_SECONDS = 0.5


def short_reference_note(seconds: float) -> str:
    return f"the reference runs in {seconds:.1f} s: no pre-check needed"


def in_background(function: Callable, *args, **kwargs) -> Future:
    """``function(*args, **kwargs)`` on a thread of its own, left to finish by itself."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="golfkit-reference")
    future = executor.submit(function, *args, **kwargs)
    executor.shutdown(wait=False)
    return future


def find_precheck(wanted: str | None, python: str) -> tuple[str | None, str | None]:
    """The pre-check interpreter to try for ``wanted`` ("auto", a name or path, None: off) and,
    when there is none, why."""
    if wanted is None:
        return None, None
    if wanted != "auto":
        return wanted, None
    found = shutil.which(AUTO_PRECHECK)
    if found is None:
        return None, f"no {AUTO_PRECHECK} installed: every run under the target (scripts/setup.sh installs it)"
    if os.path.realpath(found) == os.path.realpath(shutil.which(python) or python):
        return None, None
    return found, None


@dataclass(frozen=True)
class ReferenceRuns:
    results: tuple[RunResult, ...]  # the plain reference run on each case, that candidates must match
    executed_lines: dict[str, frozenset[int]]  # by digest of the text traced: lines the runs executed
    precheck_refused: str | None = None  # why the pre-check interpreter cannot be used, if so
    trace_note: str | None = None  # why contract passes get no trace, if so
    precheck_python: str | None = None  # the interpreter that judges intermediate candidates, if any
    precheck_seconds: float | None = None  # its reference runs' time

    @property
    def result(self) -> RunResult:
        """The reference's runs as one (the only one without cases): their figures."""
        return totals(self.results)


@dataclass(frozen=True)
class RunsAhead:
    """Reference runs made ahead of the target's (``ReferenceRunner.run_ahead``): ``runs`` stand
    in for the reference until ``confirm()`` gives the confirmed runs, or None when the target's
    run shows they cannot (then nothing judged against them may be kept)."""

    runs: ReferenceRuns
    confirm: Callable[[], ReferenceRuns | None]
    stop: threading.Event  # stops the target's run (the build was interrupted)
    # How long the target's run had gone when ``runs`` took over; None when the runs were
    # decided before any candidate (``runs`` are then the confirmed runs).
    ahead_seconds: float | None = None

    @classmethod
    def settle(cls, runs: ReferenceRuns) -> "RunsAhead":
        return cls(runs, lambda: runs, threading.Event())

    @property
    def settled(self) -> bool:
        return self.ahead_seconds is None

    def confirm_into(self, verifier) -> Callable[[], ReferenceRuns]:
        """Confirm in the background, telling ``verifier`` (``confirm_target`` or ``void_target``)
        the moment the target's run ends. The call returned waits for the confirmed runs; it
        raises the reference's own error, or ReferenceRunsVoid when they did not confirm."""
        if self.settled:
            return lambda: self.runs
        outcome: dict = {}

        def work() -> None:
            try:
                outcome["runs"] = self.confirm()
            except BaseException as error:  # handed to the build's thread by ``confirmed``
                outcome["error"] = error
            if outcome.get("runs") is None:
                verifier.void_target()
            else:
                verifier.confirm_target(outcome["runs"].results)

        thread = threading.Thread(target=work, name="golfkit-reference-confirm", daemon=True)
        thread.start()

        def confirmed() -> ReferenceRuns:
            while thread.is_alive():
                thread.join(0.5)
            if "error" in outcome:
                raise outcome["error"]
            if outcome["runs"] is None:
                raise ReferenceRunsVoid()
            return outcome["runs"]

        return confirmed


@dataclass(frozen=True)
class CaseRuns:
    """The reference runs of one case."""

    result: RunResult
    executed: frozenset[int] | None  # lines the probed run executed; None: no trace
    precheck: RunResult | None  # the pre-check interpreter's run, if any
    trace_note: str | None


def log_difference(run: RunResult, reference: RunResult):
    """The first difference of two runs' stdout, else of their stderr, with where it lies."""
    difference = first_difference(run.stdout, reference.stdout)
    if difference is not None:
        return difference, ""
    return first_difference(run.stderr, reference.stderr), " in stderr"


class ReferenceRunner:
    """Makes a build's reference runs under its options, through the run cache."""

    def __init__(self, options: Options, cache: RunCache, listener, precheck: bool = True):
        """``precheck=False``: the target's runs alone, whatever the options say."""
        self.options = options
        self.cache = cache
        self.listener = listener
        self.timeout = options.timeout if options.timeout is not None else REFERENCE_TIMEOUT
        wanted = options.precheck_wanted if precheck else None
        self.precheck_python, self.precheck_note = find_precheck(wanted, options.python)

    def run(self, spec: RunSpec, label: str, traced: bool, text_digest: str,
            cases: Sequence[Case] = (), stop: threading.Event | None = None) -> ReferenceRuns:
        """Both runs of each case (the second traced when ``traced``) and the pre-check
        interpreter's; the executed lines come keyed by ``text_digest``, the digest of the
        program's text. ``stop`` cuts the runs of a single case short."""
        cases = suite(cases)
        if len(cases) == 1:
            runs = [self._case(cases[0].applied(spec), case_label(label, cases[0]), traced, stop)]
        else:
            runs = self._cases_side_by_side(spec, label, traced, cases)
        return self._assembled(runs, cases, traced, text_digest)

    def run_ahead(self, spec: RunSpec, label: str, traced: bool, text_digest: str,
                  cases: Sequence[Case] = ()) -> "RunsAhead | None":
        """The pre-check interpreter's probed run standing in for the reference while the target's
        own reference run goes on in the background, so candidates are judged from the moment it
        ends instead of the target's (a whole slow run later). It applies with a pre-check
        interpreter, a probed run to make and one case (None otherwise); when the target finishes
        first, the runs are decided there as ``run`` decides them (``RunsAhead.settled``).

        Nothing is taken on trust: ``RunsAhead.confirm`` waits for the target's run, which must
        log exactly what the probed run logged (which also shows the program deterministic), and
        the pre-check interpreter must still be worth it; else the build starts over without
        running ahead (``run`` then decides, from the cache)."""
        cases = suite(cases)
        if not (traced and self.precheck_python) or len(cases) != 1:
            return None
        given = (spec, label, traced, text_digest, cases)
        spec, label = cases[0].applied(spec), case_label(label, cases[0])
        key = cache_key(spec, self.options.python, self.options.memory_limit_mb, sandbox=self.options.sandbox)
        if self.cache.get(key) is not None:
            return None  # the target's reference is known: nothing to run ahead of
        if self.options.precheck_wanted == "auto":
            quick = self._quick_runs(given)
            if quick is not None:
                return RunsAhead.settle(quick)
        stop = threading.Event()
        progress = self.listener.run_started(
            f"{label} (reference, limit {describe_limit(self.timeout)}; --timeout raises it)", 0)
        started = time.monotonic()
        target = in_background(self._reference_run, spec, label, stop, progress)
        target.add_done_callback(lambda _: progress.finish())
        notes: list[str] = []
        try:
            probed, executed = self._traced_run(spec, label, self.precheck_python, stop, notes)
        except GolfkitError:
            probed, executed = None, None
        usable = probed is not None and executed is not None and not probed.cancelled
        if usable:
            try:  # a run that could not serve as a reference cannot stand in for one
                checked_reference(probed, label, self.timeout, self.options.memory_limit_mb,
                                  self.options.require_clean)
            except GolfkitError:
                usable = False
        if not usable:
            target.result()  # then ``run`` finds it in the cache (or raises the reference's error)
            return RunsAhead.settle(self.run(*given))
        # Chosen automatically, the interpreter must be worth it: the target must have run longer
        # than both the shortest reference a pre-check is for and the pre-check's own time, scaled.
        if self.options.precheck_wanted == "auto":
            needed = max(AUTO_MIN_SECONDS, probed.elapsed / AUTO_SPEED_GAIN)
            wait([target], timeout=max(0.0, needed - (time.monotonic() - started)))
        case = CaseRuns(probed, executed, probed, notes[-1] if notes else None)

        def decided() -> ReferenceRuns | None:
            """The runs as ``run`` would decide them, when the probed log is the target's."""
            reference = target.result()  # a reference that cannot serve as one raises its error
            if judge(probed, reference) != "identical":
                return None
            return self._assembled([dataclasses.replace(case, result=reference)], cases, traced, text_digest)

        def confirm() -> ReferenceRuns | None:
            runs = decided()
            return runs if runs is not None and runs.precheck_python is not None else None

        if target.done():
            return RunsAhead.settle(decided() or self.run(*given))
        provisional = self._assembled([case], cases, traced, text_digest, checked=False)
        return RunsAhead(provisional, confirm, stop, time.monotonic() - started)

    def _quick_runs(self, given: tuple) -> ReferenceRuns | None:
        """The runs as ``run`` makes them under the target alone, when they end within
        AUTO_GRACE_SECONDS (a pre-check would be refused for so short a reference); else None,
        with those runs stopped."""
        stop = threading.Event()
        # No progress line for these runs: ended within the grace, they need none; cut short, the
        # runs that take over show their own (a second line for one reference would mislead).
        alone = ReferenceRunner(self.options, self.cache, SilentListener(), precheck=False)
        runs = in_background(alone.run, *given, stop=stop)
        wait([runs], timeout=AUTO_GRACE_SECONDS)
        if not runs.done():
            stop.set()
            return None
        decided = runs.result()  # raises the reference's own error, as ``run`` does
        seconds = sum(result.elapsed for result in decided.results)
        return dataclasses.replace(decided, precheck_refused=short_reference_note(seconds))

    def _assembled(self, runs: Sequence["CaseRuns"], cases: Sequence[Case], traced: bool, text_digest: str,
                   checked: bool = True) -> ReferenceRuns:
        """The reference runs of the cases as a build uses them; ``checked``: whether the
        pre-check interpreter's runs are to be judged against the target's (not when they stand
        in for them)."""
        notes = [(case, run.trace_note) for case, run in zip(cases, runs) if run.trace_note]
        trace_note = None
        if notes:
            case, note = notes[0]
            trace_note = f"{case.label}: {note}" if case.label else note
        executed = None
        if traced and not notes and all(run.executed is not None for run in runs):
            executed = frozenset().union(*(run.executed for run in runs))
        results = tuple(run.result for run in runs)
        precheck_refused, used, precheck_seconds = self.precheck_note, None, None
        prechecks = [run.precheck for run in runs]
        if self.precheck_python and all(run is not None for run in prechecks):
            precheck_refused = self._precheck_differs(prechecks, results, cases) if checked else None
            used = self.precheck_python if precheck_refused is None else None
            precheck_seconds = round(sum(run.elapsed for run in prechecks), 3)
        lines = {text_digest: executed} if executed is not None else {}
        return ReferenceRuns(results, lines, precheck_refused, trace_note, used, precheck_seconds)

    def _cases_side_by_side(self, spec: RunSpec, label: str, traced: bool, cases: tuple[Case, ...]) -> list[CaseRuns]:
        """Each case's runs, up to --jobs cases at once; the first case that fails stops the rest."""
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=min(self.options.jobs, len(cases)),
                                thread_name_prefix="golfkit-reference") as executor:
            futures = [executor.submit(self._case, case.applied(spec), case_label(label, case), traced, stop)
                       for case in cases]
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = next((future for future in futures if future.done() and future.exception() is not None), None)
            if failed is not None:
                stop.set()
                raise failed.exception()
        return [future.result() for future in futures]

    def _case(self, spec: RunSpec, label: str, traced: bool, stop: threading.Event | None) -> CaseRuns:
        """One case: the reference run and its repeat, which must agree, and the pre-check run."""
        options = self.options
        limit = describe_limit(self.timeout)
        progress = self.listener.run_started(f"{label} (reference, limit {limit}; --timeout raises it)", 0)
        notes: list[str] = []  # why this case's runs give contract passes no trace, if so
        try:
            reference, repeat, executed, precheck_result = self._runs(spec, label, traced, progress, stop, notes)
            if executed is not None and log_difference(repeat, reference)[0] is not None:
                # Probes shift line numbers: a program that shows them (tracebacks, warnings)
                # logs differently when instrumented. A plain repeat tells that from chance.
                notes.append("the instrumented run's log differs from the reference's "
                             "(does the program show line numbers?): contract passes get no trace")
                repeat, executed = self._second_run(spec, False, label, stop, notes)
        finally:
            progress.finish()
        if stop is not None and stop.is_set():  # another case failed: these runs were cut short
            raise GolfkitError(f"{label}: run interrupted", ExitCode.INTERRUPTED)
        difference, stream = log_difference(repeat, reference)
        if difference is not None:
            # Remembered, so no later command reuses one of its runs as if it were the program's.
            self.cache.mark_nondeterministic(cache_key(spec, options.python, options.memory_limit_mb,
                                                       sandbox=options.sandbox))
            raise GolfkitError(
                f"{label} is not deterministic: two runs differ{stream} at {difference.describe()}; "
                "seed its randomness and avoid time, hashes and addresses in its output",
                ExitCode.REFERENCE,
            )
        return CaseRuns(reference, executed, precheck_result, notes[-1] if notes else None)

    def _reference_run(self, spec: RunSpec, label: str, stop, on_line=None, salt: str = "") -> RunResult:
        return run_reference(
            spec, python=self.options.python, cache=self.cache, timeout=self.timeout,
            memory_limit_mb=self.options.memory_limit_mb, on_line=on_line, salt=salt, name=label, cancel=stop,
            require_clean=self.options.require_clean, sandbox=self.options.sandbox,
        )

    def _runs(self, spec: RunSpec, label: str, traced: bool, progress, stop, notes: list[str]):
        """The reference run, its repeat (probed when ``traced``) with the lines it executed, and the
        pre-check interpreter's run, all side by side.

        With a pre-check interpreter, one probed run under it serves three ends when its log equals
        the reference's: the repeat that shows the program deterministic, the proof that the
        interpreter reproduces the log, and the trace (the final file is still run under the
        target, which catches a body that ran there only). That spares a whole run under the
        (slower) target. Should its log differ, the separate runs decide as without it."""
        with ThreadPoolExecutor(max_workers=3) as executor:
            first = executor.submit(self._reference_run, spec, label, stop, progress)
            if traced and self.precheck_python:
                probed = executor.submit(self._traced_run, spec, label, self.precheck_python, stop, notes)
                reference = first.result()
                try:
                    repeat, executed = probed.result()
                except GolfkitError:
                    repeat, executed = None, None  # the interpreter cannot run it: decided below
                if executed is not None and judge(repeat, reference) == "identical":
                    return reference, repeat, executed, repeat
                notes.clear()  # the separate runs below say what holds for the target
            second = executor.submit(self._second_run, spec, traced, label, stop, notes)
            precheck = None
            if self.precheck_python:
                precheck = executor.submit(
                    cached_run, spec, self.precheck_python, self.cache,
                    RunLimits(self.timeout, self.options.memory_limit_mb, stop, sandbox=self.options.sandbox),
                )
            reference = first.result()
            repeat, executed = second.result()
            return reference, repeat, executed, None if precheck is None else precheck.result()[0]

    def _precheck_differs(self, runs: Sequence[RunResult], references: Sequence[RunResult],
                          cases: Sequence[Case]) -> str | None:
        """Why the pre-check interpreter cannot stand in for the target on this program, if so: it
        must reproduce the reference's whole log on every case itself, and when chosen
        automatically, faster (over all cases)."""
        name = os.path.basename(self.precheck_python)
        for run, reference, case in zip(runs, references, cases):
            reason = judge(run, reference)
            if reason != "identical":
                where = f" on {case.label}" if case.label else ""
                return f"{name} does not reproduce the reference{where} ({reason}); pre-check off"
        if self.options.precheck_wanted != "auto":
            return None
        reference_seconds, precheck_seconds = (sum(run.elapsed for run in runs_) for runs_ in (references, runs))
        if reference_seconds < AUTO_MIN_SECONDS:
            return short_reference_note(reference_seconds)
        if precheck_seconds > AUTO_SPEED_GAIN * reference_seconds:
            return (f"{name} is not faster on this program ({precheck_seconds:.1f} s against "
                    f"{reference_seconds:.1f} s); pre-check off")
        return None

    def _second_run(self, spec: RunSpec, traced: bool, label: str, stop,
                    notes: list[str]) -> tuple[RunResult, frozenset[int] | None]:
        if traced:
            return self._traced_run(spec, label, self.options.python, stop, notes)
        return self._reference_run(spec, label, stop, salt="repeat"), None

    def _traced_run(self, spec: RunSpec, label: str, python: str, stop,
                    notes: list[str]) -> tuple[RunResult, frozenset[int] | None]:
        """The reference with block probes under ``python``, through the runner like any run. Its
        executed lines are cached beside the run; a failed trace only disables pruning."""
        key = cache_key(spec, python, self.options.memory_limit_mb, f"probed-v{trace.FORMAT}", self.options.sandbox)
        lines_path = self.cache.traces_folder / f"{key}.json"
        found = self._cached_trace(key, lines_path)
        if found is not None:
            return found
        # Another golfkit tracing this very program (a build of the other target): wait, then read.
        give_up = runs_aborted if stop is None else (lambda: runs_aborted() or stop.is_set())
        with self.cache.claim(key, give_up=give_up):
            return self._cached_trace(key, lines_path) or self._make_trace(spec, label, python, key, lines_path,
                                                                           stop, notes)

    def _cached_trace(self, key: str, lines_path: Path) -> tuple[RunResult, frozenset[int]] | None:
        hit = self.cache.get(key)
        if hit is not None and lines_path.is_file():
            try:
                return hit, frozenset(json.loads(lines_path.read_text()))
            except (ValueError, TypeError, OSError):
                pass
        return None

    def _make_trace(self, spec: RunSpec, label: str, python: str, key: str, lines_path: Path, stop,
                    notes: list[str]) -> tuple[RunResult, frozenset[int] | None]:
        try:
            probed = trace.instrument(spec.program.decode("utf-8"))
        except Exception:  # a program libcst cannot take gets no trace: contract passes stay off
            notes.append("the program could not be instrumented: contract passes get no trace")
            return self._second_run(spec, False, label, stop, notes)
        with tempfile.TemporaryDirectory(prefix="golfkit-trace-") as scratch:
            wrapper, output = Path(scratch) / "trace_runner.py", Path(scratch) / "blocks.json"
            wrapper.write_text(trace.RUNNER, encoding="utf-8")
            # The scratch folder lies outside the run folder: a sandboxed run may write it.
            limits = RunLimits(self.timeout, self.options.memory_limit_mb, stop, interpreter_args=(str(wrapper),),
                               program_args=(str(output), str(probed.probes)), sandbox=self.options.sandbox,
                               writable=(Path(scratch),))
            instrumented = dataclasses.replace(spec, program=probed.source.encode("utf-8"))
            result = run_program(instrumented, python, limits)
            if result.timed_out:
                raise RunTimeout(f"{label}: the traced run took longer than {self.timeout:.0f} s; raise --timeout")
            try:
                lines = probed.lines(json.loads(output.read_text()))
            except (OSError, ValueError, TypeError):
                return result, None
        self.cache.put(key, result)
        if self.cache.enabled:
            lines_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(lines_path, json.dumps(sorted(lines)).encode())
        return result, lines
