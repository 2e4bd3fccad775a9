"""`golfkit build`: reference runs, the pass pipeline, the packer, and atomic outputs."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from golfkit import __version__
from golfkit.cache import PassCache, RunCache, run_key
from golfkit.errors import ExitCode, GolfkitError, OutputError, RunTimeout
from golfkit.options import Options
from golfkit.pack.check import char_count as file_char_count
from golfkit.overrides import apply_overrides
from golfkit.passes import default_pipeline
from golfkit.pipeline import Listener, Pipeline, SilentListener, StageRecord, VerificationPool, digest, measure
from golfkit.runner import (
    RunLimits,
    RunResult,
    RunSpec,
    deferred_interrupts,
    first_difference,
    run_program,
    sibling_modules,
)
from golfkit.sizes import byte_count, char_count, deflate_size
from golfkit.source import read_source
from golfkit.verify import REFERENCE_TIMEOUT, Verifier, cached_run, default_timeout, judge, run_reference

FINAL_NAME = "femtogpt.py"
REPORT_NAME = "report.json"


@dataclass
class BuildOutcome:
    folder: Path
    final_path: Path
    report: dict
    records: list[StageRecord] = field(default_factory=list)


def output_folder(options: Options) -> Path:
    """build/<target>, or a folder that names the overrides for a quick build."""
    name = options.target
    if options.overrides:
        settings = "-".join(f"{key}={value}" for key, value in options.overrides)
        name += "-set-" + re.sub(r"[^A-Za-z0-9_.=+-]", "_", settings)
    return options.out_dir / name


def _log_difference(run: RunResult, reference: RunResult):
    """The first difference of two runs' stdout, else of their stderr (part of every verdict)."""
    difference = first_difference(run.stdout, reference.stdout)
    if difference is not None:
        return difference, ""
    return first_difference(run.stderr, reference.stderr), " in stderr"


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def ensure_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".golfkit-probe-")
        probe.close()
    except OSError as error:
        raise OutputError(f"{folder}: output folder not writable ({error.strerror}); choose another with --out-dir") from None


class Builder:
    def __init__(self, options: Options, listener: Listener | None = None, dataset: Path | None = None,
                 passes: list | None = None):
        self.options = options
        self.passes = passes  # an explicit pass list (tests, embedding); None: the configured pipeline
        self.listener = listener or SilentListener()
        self.dataset = dataset
        self.cache = RunCache(options.cache_dir, enabled=options.use_cache)
        self.pass_cache = PassCache(options.cache_dir, enabled=options.use_cache)
        self._packed: dict[str, tuple[list, list]] = {}
        self.precheck_refused: str | None = None
        self.trace_note: str | None = None

    def reference_runs(self, spec: RunSpec, label: str) -> tuple[RunResult, dict[str, frozenset[int]]]:
        """Run the reference twice side by side; the second run is traced when contract passes are
        on. Both outputs must agree, or the program is not deterministic and cannot be golfed."""
        options = self.options
        timeout = options.timeout if options.timeout is not None else REFERENCE_TIMEOUT
        traced = any(p.name == "contract-prune" for p in self._passes())
        progress = self.listener.run_started(f"{label} (reference)", 0)
        try:
            with ThreadPoolExecutor(max_workers=3) as executor:
                first = executor.submit(
                    run_reference, spec, python=options.python, cache=self.cache, timeout=timeout,
                    memory_limit_mb=options.memory_limit_mb, on_line=progress, name=label,
                )
                second = executor.submit(self._second_run, spec, timeout, traced, label)
                precheck = None
                if options.precheck_python:
                    precheck = executor.submit(
                        cached_run, spec, options.precheck_python, self.cache,
                        RunLimits(timeout, options.memory_limit_mb),
                    )
                reference = first.result()
                repeat, executed = second.result()
                if precheck is not None:
                    self.precheck_refused = self._precheck_differs(precheck.result()[0], reference)
            if executed is not None and _log_difference(repeat, reference)[0] is not None:
                # Probes shift line numbers: a program that shows them (tracebacks, warnings)
                # logs differently when instrumented. A plain repeat tells that from chance.
                self.trace_note = ("the instrumented run's log differs from the reference's "
                                   "(does the program show line numbers?): contract passes get no trace")
                repeat, executed = self._second_run(spec, timeout, False, label)
        finally:
            progress.finish()
        difference, stream = _log_difference(repeat, reference)
        if difference is not None:
            raise GolfkitError(
                f"{label} is not deterministic: two runs differ{stream} at {difference.describe()}; "
                "seed its randomness and avoid time, hashes and addresses in its output",
                ExitCode.REFERENCE,
            )
        lines = {digest(spec.program): executed} if executed is not None else {}
        return reference, lines

    def _precheck_differs(self, result: RunResult, reference: RunResult) -> str | None:
        """Why the pre-check interpreter cannot stand in for the target on this program, if so:
        it must reproduce the reference's whole log itself."""
        reason = judge(result, reference)
        if reason == "identical":
            return None
        return f"{self.options.precheck_python} does not reproduce the reference ({reason}); pre-check off"

    def _passes(self) -> list:
        if self.passes is None:
            self.passes = default_pipeline(self.options.passes, self.options.skip, self.options.contract)
        return self.passes

    def _second_run(self, spec: RunSpec, timeout: float, traced: bool, label: str):
        if traced:
            return self._traced_run(spec, timeout, label)
        result = run_reference(
            spec, python=self.options.python, cache=self.cache, timeout=timeout,
            memory_limit_mb=self.options.memory_limit_mb, salt="repeat", name=label,
        )
        return result, None

    def _traced_run(self, spec: RunSpec, timeout: float, label: str) -> tuple[RunResult, frozenset[int] | None]:
        """The reference with block probes (golfkit.trace), through the runner like any run.
        Its executed lines are cached beside the run; a failed trace only disables pruning."""
        from golfkit import trace

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
            return self._second_run(spec, timeout, False, label)
        with tempfile.TemporaryDirectory(prefix="golfkit-trace-") as scratch:
            wrapper, output = Path(scratch) / "trace_runner.py", Path(scratch) / "blocks.json"
            wrapper.write_text(trace.RUNNER, encoding="utf-8")
            limits = RunLimits(timeout, self.options.memory_limit_mb, interpreter_args=(str(wrapper),),
                               program_args=(str(output), str(probed.probes)))
            instrumented = dataclasses.replace(spec, program=probed.source.encode("utf-8"))
            result = run_program(instrumented, self.options.python, limits)
            if result.timed_out:
                raise RunTimeout(f"{label}: the traced run took longer than {timeout:.0f} s; raise --timeout")
            try:
                lines = probed.lines(json.loads(output.read_text()))
            except (OSError, ValueError, TypeError):
                return result, None
        self.cache.put(key, result)
        if self.cache.enabled:
            lines_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(lines_path, json.dumps(sorted(lines)).encode())
        return result, lines

    def build(self) -> BuildOutcome:
        options = self.options
        started = time.perf_counter()
        source_path = options.source
        original = read_source(source_path)
        source = apply_overrides(original, options.overrides)
        folder = output_folder(options)
        ensure_writable(folder)
        passes = self._passes()
        modules = sibling_modules(source_path)
        spec = RunSpec(source.encode("utf-8"), source_path.name, self.dataset, modules)

        reference, executed_lines = self.reference_runs(spec, source_path.name)
        timeout = options.timeout if options.timeout is not None else default_timeout(reference.elapsed)
        verifier = Verifier(reference, python=options.python, dataset=self.dataset, cache=self.cache,
                            timeout=timeout, memory_limit_mb=options.memory_limit_mb,
                            precheck_python=None if self.precheck_refused else options.precheck_python)
        pool = VerificationPool(verifier, options.jobs, self.listener, source_path.name, modules)
        try:
            pipeline = Pipeline(passes, pool, options.target, max_rounds=options.max_rounds,
                                contract=options.contract, executed_lines=executed_lines, listener=self.listener,
                                on_fixpoint=lambda text: self._queue_final_runs(text, pool),
                                pass_cache=self.pass_cache)
            golfed = self._confirm_final(pipeline.run(source), source, pipeline, pool)
            final_bytes, pack_report = golfed.encode("utf-8"), None
            if options.pack:
                final_bytes, pack_report = self._pack_stage(golfed, pipeline, pool)
        except BaseException:
            pool.shutdown(cancel_all=True)
            raise
        pool.shutdown()

        final_chars = file_char_count(final_bytes)
        report = {
            "golfkit": __version__,
            "source": str(source_path),
            "target": options.target,
            "judge": options.judge,
            "overrides": dict(options.overrides),
            "quick_build": bool(options.overrides),
            "contract_passes": options.contract,
            "interpreter": options.python,
            "reference": {
                "chars": char_count(source), "bytes": byte_count(source), "deflate": deflate_size(source),
                "lines": verifier.expected_lines, "seconds": round(reference.elapsed, 3),
                "peak_memory_kb": reference.peak_memory_kb,
            },
            "stages": [record.to_json() for record in pipeline.records],
            "pack": pack_report,
            "final": {"file": FINAL_NAME, "chars": final_chars, "bytes": len(final_bytes), "verified": True},
            "precheck_interpreter": verifier.precheck_python,
            "precheck_refused": self.precheck_refused,
            "trace_note": self.trace_note,
            "confirmation_failures": pipeline.confirmation_failures,
            "runs_made": verifier.runs_made,
            "precheck_runs_made": verifier.precheck_runs_made,
            "wall_seconds": round(time.perf_counter() - started, 3),
        }
        self._write_outputs(folder, pipeline.records, final_bytes, report)
        return BuildOutcome(folder, folder / FINAL_NAME, report, pipeline.records)

    def _queue_final_runs(self, golfed: str, pool: VerificationPool) -> list[str]:
        """Queue, ahead of time, the runs the build will need once ``golfed`` is its result: its
        confirmation under the target interpreter and its shortest packed form."""
        keys = []
        if pool.verifier.precheck_python:
            keys.append(pool.submit(golfed, "confirm under target (ahead)", final=True))
        packed = self._packed_forms(golfed)[1] if self.options.pack else []
        if packed:
            keys.append(pool.submit(packed[0].data, f"pack {packed[0].scheme} (ahead)", final=True))
        return keys

    def _packed_forms(self, golfed: str) -> tuple[list, list]:
        """The packer's candidates for ``golfed``, shortest first, and those of them worth a run:
        the ones shorter than the unpacked source itself (computed once per text)."""
        from golfkit.pack import pack, sort_key

        if golfed not in self._packed:
            result = pack(golfed, self.options.target, self.options.judge, self.options.codecs)
            ordered = sorted(result.candidates, key=sort_key(self.options.target))
            unpacked = golfed.encode("utf-8")
            worth = []
            for candidate in ordered:
                if candidate.scheme == "unpacked" or candidate.data == unpacked:
                    break
                worth.append(candidate)
            self._packed[golfed] = ordered, worth
        return self._packed[golfed]

    def _confirm_final(self, golfed: str, source: str, pipeline: Pipeline, pool: VerificationPool) -> str:
        """Under a pre-check interpreter the stages were judged by it alone: the result must also
        hold under the target interpreter, else the latest stage that does is the result."""
        if not pool.verifier.precheck_python:
            return golfed
        stages = [r.source for r in reversed(pipeline.records)
                  if r.verdict in ("verified", "partial") and isinstance(r.source, str)]
        seen = set()
        for text in [golfed, *stages]:
            if text in seen:
                continue
            seen.add(text)
            verdict = pool.result(pool.submit(text, "confirm under target", final=True))
            if verdict.identical:
                return text
            pipeline.confirmation_failures.append(verdict.reason)
        return source

    def _pack_stage(self, golfed: str, pipeline: Pipeline, pool: VerificationPool) -> tuple[bytes, dict]:
        """Try the packer's candidates, shortest first, until one verifies."""
        started = time.perf_counter()
        ordered, worth = self._packed_forms(golfed)
        report = {
            "candidates": [{"scheme": c.scheme, "chars": c.chars, "bytes": c.size_bytes} for c in ordered],
            "chosen": "unpacked",
            "rejected": [],
        }
        for candidate in worth:
            verdict = pool.result(pool.submit(candidate.data, f"pack {candidate.scheme}", final=True))
            if verdict.identical:
                report["chosen"] = candidate.scheme
                record = pipeline._record("pack", "safe", 0, golfed, golfed, verdict="verified",
                                          reason=candidate.scheme, pass_seconds=round(time.perf_counter() - started, 3),
                                          **pipeline._run_fields(verdict))
                record.chars, record.bytes = candidate.chars, candidate.size_bytes
                record.delta_chars = candidate.chars - char_count(golfed)
                record.delta_bytes = candidate.size_bytes - byte_count(golfed)
                record.deflate = deflate_size(golfed)
                record.source = candidate.data
                return candidate.data, report
            report["rejected"].append({"scheme": candidate.scheme, "reason": verdict.reason})
        return golfed.encode("utf-8"), report

    def _write_outputs(self, folder: Path, records: list[StageRecord], final: bytes, report: dict) -> None:
        """Stage files first, then the final program and the report, each atomically; an
        interrupt waits until all are written, so the two never disagree."""
        with deferred_interrupts():
            self._write_files(folder, records, final, report)

    def _write_files(self, folder: Path, records: list[StageRecord], final: bytes, report: dict) -> None:
        for stale in folder.glob("[0-9][0-9]-*.py"):
            stale.unlink()
        for record in records:
            if record.verdict in ("verified", "partial", "rejected") and record.source is not None:
                suffix = ".rejected.py" if record.verdict == "rejected" else ".py"
                record.file = f"{record.step:02d}-{record.name}{suffix}"
                data = record.source if isinstance(record.source, bytes) else record.source.encode("utf-8")
                atomic_write(folder / record.file, data)
        report["stages"] = [record.to_json() for record in records]
        atomic_write(folder / FINAL_NAME, final)
        atomic_write(folder / REPORT_NAME, (json.dumps(report, indent=2) + "\n").encode())
