"""The reference runs a build starts with.

The reference runs twice side by side; the second copy carries block probes (golfkit.trace) when
contract passes want to know which bodies ran. Both logs must agree, or the program is not
deterministic and cannot be golfed. With a pre-check interpreter, the reference also runs under
it, and that interpreter stands in for the target only if it reproduces the whole log.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from golfkit import trace
from golfkit.cache import RunCache, atomic_write, run_key
from golfkit.errors import ExitCode, GolfkitError, RunTimeout
from golfkit.options import Options
from golfkit.runner import RunLimits, RunResult, RunSpec, first_difference, run_program
from golfkit.verify import REFERENCE_TIMEOUT, cached_run, judge, run_reference


@dataclass(frozen=True)
class ReferenceRuns:
    result: RunResult  # the plain reference run every candidate is judged against
    executed_lines: dict[str, frozenset[int]]  # by digest of the text traced: lines the run executed
    precheck_refused: str | None = None  # why the pre-check interpreter cannot be used, if so
    trace_note: str | None = None  # why contract passes get no trace, if so


def log_difference(run: RunResult, reference: RunResult):
    """The first difference of two runs' stdout, else of their stderr, with where it lies."""
    difference = first_difference(run.stdout, reference.stdout)
    if difference is not None:
        return difference, ""
    return first_difference(run.stderr, reference.stderr), " in stderr"


class ReferenceRunner:
    """Makes a build's reference runs under its options, through the run cache."""

    def __init__(self, options: Options, cache: RunCache, listener):
        self.options = options
        self.cache = cache
        self.listener = listener
        self.timeout = options.timeout if options.timeout is not None else REFERENCE_TIMEOUT
        self.trace_note: str | None = None

    def run(self, spec: RunSpec, label: str, traced: bool, text_digest: str) -> ReferenceRuns:
        """Both runs (the second traced when ``traced``) and the pre-check interpreter's; the
        executed lines come keyed by ``text_digest``, the digest of the program's text."""
        options = self.options
        precheck_refused = None
        progress = self.listener.run_started(f"{label} (reference)", 0)
        try:
            with ThreadPoolExecutor(max_workers=3) as executor:
                first = executor.submit(
                    run_reference, spec, python=options.python, cache=self.cache, timeout=self.timeout,
                    memory_limit_mb=options.memory_limit_mb, on_line=progress, name=label,
                )
                second = executor.submit(self._second_run, spec, traced, label)
                precheck = None
                if options.precheck_python:
                    precheck = executor.submit(
                        cached_run, spec, options.precheck_python, self.cache,
                        RunLimits(self.timeout, options.memory_limit_mb),
                    )
                reference = first.result()
                repeat, executed = second.result()
                if precheck is not None:
                    precheck_refused = self._precheck_differs(precheck.result()[0], reference)
            if executed is not None and log_difference(repeat, reference)[0] is not None:
                # Probes shift line numbers: a program that shows them (tracebacks, warnings)
                # logs differently when instrumented. A plain repeat tells that from chance.
                self.trace_note = ("the instrumented run's log differs from the reference's "
                                   "(does the program show line numbers?): contract passes get no trace")
                repeat, executed = self._second_run(spec, False, label)
        finally:
            progress.finish()
        difference, stream = log_difference(repeat, reference)
        if difference is not None:
            raise GolfkitError(
                f"{label} is not deterministic: two runs differ{stream} at {difference.describe()}; "
                "seed its randomness and avoid time, hashes and addresses in its output",
                ExitCode.REFERENCE,
            )
        lines = {text_digest: executed} if executed is not None else {}
        return ReferenceRuns(reference, lines, precheck_refused, self.trace_note)

    def _precheck_differs(self, result: RunResult, reference: RunResult) -> str | None:
        """Why the pre-check interpreter cannot stand in for the target on this program, if so:
        it must reproduce the reference's whole log itself."""
        reason = judge(result, reference)
        if reason == "identical":
            return None
        return f"{self.options.precheck_python} does not reproduce the reference ({reason}); pre-check off"

    def _second_run(self, spec: RunSpec, traced: bool, label: str) -> tuple[RunResult, frozenset[int] | None]:
        if traced:
            return self._traced_run(spec, label)
        result = run_reference(
            spec, python=self.options.python, cache=self.cache, timeout=self.timeout,
            memory_limit_mb=self.options.memory_limit_mb, salt="repeat", name=label,
        )
        return result, None

    def _traced_run(self, spec: RunSpec, label: str) -> tuple[RunResult, frozenset[int] | None]:
        """The reference with block probes, through the runner like any run. Its executed lines
        are cached beside the run; a failed trace only disables pruning."""
        key = run_key(spec, self.options.python, salt=f"probed-v{trace.FORMAT}")
        lines_path = self.cache.traces_folder / f"{key}.json"
        hit = self.cache.get(key)
        if hit is not None and lines_path.is_file():
            try:
                return hit, frozenset(json.loads(lines_path.read_text()))
            except (ValueError, TypeError, OSError):
                pass
        try:
            probed = trace.instrument(spec.program.decode("utf-8"))
        except Exception:  # a program libcst cannot take gets no trace: contract passes stay off
            self.trace_note = "the program could not be instrumented: contract passes get no trace"
            return self._second_run(spec, False, label)
        with tempfile.TemporaryDirectory(prefix="golfkit-trace-") as scratch:
            wrapper, output = Path(scratch) / "trace_runner.py", Path(scratch) / "blocks.json"
            wrapper.write_text(trace.RUNNER, encoding="utf-8")
            limits = RunLimits(self.timeout, self.options.memory_limit_mb, interpreter_args=(str(wrapper),),
                               program_args=(str(output), str(probed.probes)))
            instrumented = dataclasses.replace(spec, program=probed.source.encode("utf-8"))
            result = run_program(instrumented, self.options.python, limits)
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
