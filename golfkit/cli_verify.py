"""`golfkit verify`: judge one candidate against the reference on every test case, or against a log."""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Sequence

import click

from golfkit.cache import RunCache
from golfkit.cases import Case, case_label, load_cases, suite
from golfkit.errors import UsageError
from golfkit.modules import local_module_copies, merge_copies
from golfkit.options import Options
from golfkit.runner import RunResult, RunSpec
from golfkit.source import read_source
from golfkit.verify import (CANCELLED, REFERENCE_TIMEOUT, Verdict, Verifier, cache_key, checked_reference, named,
                            totals, verify_side_by_side)


def verify_candidate(candidate: Path, options: Options, data: tuple[Path, ...], expected: Path | None,
                     cases_given: bool) -> tuple[Verdict, RunCache]:
    """The verdict on ``candidate`` and the cache its runs went through."""
    cache = RunCache(options.cache_dir, enabled=options.use_cache)
    read_source(candidate)
    file_name = (options.source or candidate).name
    candidate_modules = local_module_copies(candidate)
    candidate_spec = RunSpec(candidate.read_bytes(), file_name, data, candidate_modules)
    if expected is not None:
        if cases_given:
            raise UsageError("--expected is the log of one run without input: give test cases with --reference")
        try:
            log = expected.read_bytes()
        except OSError:
            raise UsageError(f"{expected}: cannot read the expected log; give an existing file") from None
        verifier = Verifier(RunResult(log, b"", 0, 0.0, 0), python=options.python, data=data, cache=cache,
                            timeout=options.timeout or REFERENCE_TIMEOUT, memory_limit_mb=options.memory_limit_mb,
                            judge_stderr=False)
        return verifier.check(candidate_spec.program, file_name=file_name, modules=candidate_spec.modules), cache
    read_source(options.source)
    reference = RunSpec(options.source.read_bytes(), options.source.name, data, local_module_copies(options.source))
    # A golfed file kept elsewhere (build/<target>/) still imports the reference's modules.
    candidate_spec = RunSpec(candidate_spec.program, file_name, data, merge_copies(candidate_modules, reference.modules))
    cases = suite(load_cases(options, data))
    if any(cache.known_nondeterministic(cache_key(case.applied(reference), options.python, options.memory_limit_mb))
           for case in cases):
        click.echo(f"golfkit: note: {options.source} was found not deterministic by an earlier build; it runs "
                   "afresh, and the verdict may change from run to run", err=True)
    return SuiteCheck(candidate_spec, reference, options, cache, str(options.source)).run(cases), cache


class SuiteCheck:
    """The candidate against the reference on each case, up to --jobs cases at once: a case whose
    reference run is cached runs the candidate alone, any other runs both side by side; the first
    case that differs stops the others."""

    def __init__(self, candidate: RunSpec, reference: RunSpec, options: Options, cache: RunCache, name: str):
        self.candidate, self.reference = candidate, reference
        self.options, self.cache, self.name = options, cache, name
        self.stop = threading.Event()
        self.failed: list[Verdict] = []
        self.lock = threading.Lock()

    def run(self, cases: Sequence[Case]) -> Verdict:
        if len(cases) == 1:
            return self.case(cases[0], None)
        with ThreadPoolExecutor(max_workers=min(self.options.jobs, len(cases)),
                                thread_name_prefix="golfkit-verify") as executor:
            futures = [executor.submit(self.case, case, self.stop) for case in cases]
            wait(futures, return_when=FIRST_EXCEPTION)
            error = next((future.exception() for future in futures if future.done() and future.exception()), None)
            if error is not None:
                self.stop.set()
                raise error
        verdicts = [future.result() for future in futures]
        results = tuple(verdict.result for verdict in verdicts)
        if self.failed:
            return self.failed[0]
        if any(result.cancelled for result in results):
            return Verdict(False, "cancelled", CANCELLED, results=results)
        return Verdict(True, "identical", totals(results), all(verdict.cached for verdict in verdicts),
                       results=results)

    def case(self, case: Case, stop: threading.Event | None) -> Verdict:
        options = self.options
        reference, candidate = case.applied(self.reference), case.applied(self.candidate)
        name, limit = case_label(self.name, case), options.timeout or REFERENCE_TIMEOUT
        key = cache_key(reference, options.python, options.memory_limit_mb)
        hit = None if self.cache.known_nondeterministic(key) else self.cache.get(key)
        if hit is None or hit.mismatch is not None:
            verdict = named(verify_side_by_side(candidate, reference, python=options.python, cache=self.cache,
                                                timeout=limit, memory_limit_mb=options.memory_limit_mb, name=name,
                                                cancel=stop, require_clean=options.require_clean), case)
        else:
            checked_reference(hit, name, limit, options.memory_limit_mb, options.require_clean)
            verifier = Verifier(hit, cases=(case,), python=options.python, data=self.candidate.data, cache=self.cache,
                                timeout=options.timeout, memory_limit_mb=options.memory_limit_mb)
            verdict = verifier.check(self.candidate.program, file_name=self.candidate.file_name,
                                     modules=self.candidate.modules, cancel=stop)
        if not verdict.identical and not verdict.result.cancelled:
            with self.lock:
                self.failed.append(verdict)
            self.stop.set()
        return verdict
