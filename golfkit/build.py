"""`golfkit build`: the orchestration of a build (reference runs, the pass pipeline, the pack
stage) and its atomic outputs."""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from golfkit import __version__
from golfkit.analysis.inputs import InputRead, input_reads
from golfkit.bisection import BrokenSites
from golfkit.bundle import Bundle, bundle_program
from golfkit.cache import BrokenSiteStore, PassCache, RunCache, atomic_write, interpreter_version
from golfkit.cases import Case, input_refusal, load_cases, suite_identity
from golfkit.errors import ExitCode, GolfkitError, OutputError, ReferenceRunsVoid, SourceError, UsageError
from golfkit.modules import local_module_copies, merge_copies
from golfkit.options import REPORT_NAME, Options
from golfkit.overrides import apply_overrides, parse_assignment
from golfkit.pack.check import char_count as file_char_count
from golfkit.pack.stage import PackStage
from golfkit.passes import default_pipeline
from golfkit.passes.base import PassContext
from golfkit.pipeline import Listener, Objective, Pipeline, SilentListener, VerificationPool, digest
from golfkit.reference import ReferenceRunner, ReferenceRuns, RunsAhead
from golfkit.runner import RunSpec, deferred_interrupts, split_lines
from golfkit.sizes import byte_count, char_count, deflate_size
from golfkit.source import read_source
from golfkit.stages import RunFacts, StageRecord, StageVerdict
from golfkit.verify import Verifier

__all__ = ["Builder", "BuildOutcome", "atomic_write", "ensure_writable", "output_folder"]


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


def ensure_writable(folder: Path) -> list[Path]:
    """Make ``folder`` (and its missing parents) and check it can be written; returns the folders
    made, innermost first, so a build that ends without output can remove them again."""
    made = [parent for parent in [folder, *folder.parents] if not parent.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".golfkit-probe-")
        probe.close()
    except OSError as error:
        raise OutputError(f"{folder}: output folder not writable ({error.strerror}); choose another with --out-dir") from None
    return made


def remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()  # only ever an empty folder
        except OSError:
            return


class Builder:
    def __init__(self, options: Options, listener: Listener | None = None, data: tuple[Path, ...] = (),
                 passes: list | None = None, cases: tuple[Case, ...] | None = None):
        self.options = options
        self.passes = passes  # an explicit pass list (tests, embedding); None: the configured pipeline
        self.listener = listener or SilentListener()
        self.data = data  # files and folders every run folder holds
        self.cache = RunCache(options.cache_dir, enabled=options.use_cache)
        self.pass_cache = PassCache(options.cache_dir, enabled=options.use_cache)
        self.broken_site_store = BrokenSiteStore(options.cache_dir, enabled=options.use_cache)
        self.pack_stage = PackStage(options.target, options.judge, options.codecs)
        self.confirmed_by_packed_file = False  # the golfed text confirmed by its packed file's run
        self.search_counts: dict | None = None  # what the search stage tried and kept, when it ran
        self.quick_note = ""  # the search's quick oracle, or why it has none
        self.final_name = options.output  # the final file's name, settled when the build starts
        self.given_cases = cases  # the test cases when already read (None: read from the options)
        self.cases: tuple[Case, ...] = ()
        self.input_reads: tuple[InputRead, ...] = ()  # where the program reads input
        # Judge candidates against the pre-check interpreter's reference while the target's runs.
        self.run_ahead = True
        self.ahead_seconds: float | None = None

    @property
    def stores(self) -> tuple:
        """The on-disk stores the build reads and writes (their ``discarded`` counts are shown)."""
        return self.cache, self.pass_cache, self.broken_site_store

    def pass_list(self) -> list:
        if self.passes is None:
            self.passes = default_pipeline(self.options.passes, self.options.skip, self.options.contract)
        return self.passes

    def build(self) -> BuildOutcome:
        options = self.options
        started = time.perf_counter()
        source_path = options.source
        source = apply_overrides(read_source(source_path), options.overrides)
        self.final_name = options.final_name  # refused here, before any run, when the folder cannot hold it
        self.cases = load_cases(options, self.data) if self.given_cases is None else self.given_cases
        folder = output_folder(options)
        made = ensure_writable(folder)
        try:
            try:
                return self._build(started, source_path, source, folder)
            except ReferenceRunsVoid:
                # What was judged against the pre-check interpreter's stand-in counts for nothing:
                # start over with the reference runs made as without running ahead (cached now).
                self.run_ahead = False
                return self._build(started, source_path, source, folder)
        except BaseException:
            remove_if_empty(made)  # an interrupted or failed first build leaves no empty folder
            raise

    def _build(self, started: float, source_path: Path, source: str, folder: Path) -> BuildOutcome:
        options = self.options
        passes = self.pass_list()
        modules = local_module_copies(source_path)
        harness = self.harness_program(source_path)
        if harness is None:
            spec = RunSpec(source.encode("utf-8"), source_path.name, self.data, modules)
        else:  # the harness runs, with the program beside it as the module it imports
            modules = merge_copies(modules, tuple((name, data) for name, data in
                                                  local_module_copies(self.options.harness) if name != source_path.name))
            spec = RunSpec(harness[1], harness[0], self.data, ((source_path.name, source.encode("utf-8")), *modules))

        ahead = self.reference_runs(spec, source, source_path.name, passes)
        runs = ahead.runs
        self.ahead_seconds = None if ahead.settled else round(ahead.ahead_seconds, 3)
        verifier = Verifier(runs.results, cases=self.cases, python=options.python, data=self.data, cache=self.cache,
                            timeout=options.timeout, memory_limit_mb=options.memory_limit_mb,
                            precheck_python=runs.precheck_python, jobs=options.jobs, sandbox=options.sandbox,
                            target_pending=ahead.ahead_seconds)
        confirmed_runs = ahead.confirm_into(verifier)
        try:
            bundled = self.bundle(source, modules)
        except BaseException:
            ahead.stop.set()  # no build follows: the target's reference is not waited for
            raise
        # A bundled program's candidates run alone: none of the module files is in their folder.
        pool = VerificationPool(verifier, options.jobs, self.listener, source_path.name,
                                () if bundled is not None else modules, harness=harness)
        broken_sites = BrokenSites(self.broken_site_store,
                                   BrokenSiteStore.key(source, *runs.results, suite=suite_identity(self.cases)))
        # Executed lines are the contract passes' facts; a trace made only to confirm input reads is not.
        contract_lines = runs.executed_lines if any(p.name == "contract-prune" for p in passes) else {}
        try:
            pipeline = Pipeline(passes, pool, options.target, max_rounds=options.max_rounds,
                                contract=options.contract, executed_lines=contract_lines, listener=self.listener,
                                on_fixpoint=lambda text: self.queue_final_runs(text, pool),
                                on_chain_end=self.pack_ahead if options.pack else None,
                                pass_cache=self.pass_cache, broken_sites=broken_sites, objective=self.objective(),
                                kept_names=frozenset(options.keep),
                                settings={"seed": options.seed} if options.seed else None)
            start = source if bundled is None else self.bundle_stage(bundled, source, pool, pipeline)
            golfed = pipeline.run(start)
            runs = confirmed_runs()  # the target's own reference, when the pre-check's stood in for it
            if options.search_seconds and options.contract:
                searched = self.search_stage(golfed, pool, pipeline, source, spec, runs)
                if searched != golfed:
                    # What the search kept (a string renamed, a statement gone) often lets a pass
                    # go further: a constant now worth inlining, names worth reassigning.
                    searched = pipeline.run(searched)
                golfed = searched
            pick = self.packed_and_confirmed(golfed, pool, pipeline)
            self.confirmed_by_packed_file = pick is not None
            if pick is None:
                golfed = self.confirm_final(golfed, start, pipeline, pool)
            final_bytes, pack_report = golfed.encode("utf-8"), None
            if options.pack:
                pick = pick or self.pack_stage.pick(golfed, pool, pipeline.next_step)
                if pick.record is not None:
                    pipeline.add_stage(pick.record)
                final_bytes, pack_report = pick.data, pick.report
        except BaseException:
            ahead.stop.set()
            pool.shutdown(cancel_all=True)
            raise
        finally:
            self.pack_stage.cancel_ahead()
        pool.shutdown()

        report = self.report(source, runs, verifier, pipeline, final_bytes, pack_report)
        report["cases"] = [dict(case.to_json(), reference_lines=len(split_lines(result.stdout)),
                                reference_seconds=round(result.elapsed, 3), reference_exit_status=result.returncode)
                           for case, result in zip(self.cases, runs.results)]
        report["modules"] = [name for name, _ in modules]
        report["bundled"] = list(bundled.modules) if bundled is not None else None
        report["harness"] = harness[0] if harness is not None else None
        report["search"] = self.search_counts
        report["kept_names"] = list(options.keep)
        if modules and bundled is None:
            report["modules_note"] = (f"only {source_path.name} is golfed: its modules ship as they are "
                                      "(--bundle golfs them into one file)")
        report["data"] = [path.name for path in self.data]
        report["wall_seconds"] = round(time.perf_counter() - started, 3)
        self.write_outputs(folder, pipeline.records, final_bytes, report)
        return BuildOutcome(folder, folder / self.final_name, report, pipeline.records)

    def search_stage(self, golfed: str, pool: VerificationPool, pipeline: Pipeline, source: str, spec: RunSpec,
                     runs: ReferenceRuns) -> str:
        """The search after the passes (golfkit.search.stage): each verified batch of mutations is
        a ``search`` row of the report; its counts go to report.json's ``search``."""
        from golfkit.search import catalogue
        from golfkit.search.stage import Search, SearchSettings

        last = [time.perf_counter()]

        def kept(before: str, after: str, mutations: int) -> None:
            now = time.perf_counter()
            seconds, last[0] = now - last[0], now
            pipeline.add_stage(StageRecord.for_pass(
                pipeline.next_step, 0, "search", "contract", StageVerdict.VERIFIED, input_text=before, text=after,
                reason=f"{mutations} mutations verified together", edits_total=mutations, edits_kept=mutations,
                pass_seconds=seconds, shipped=pipeline.objective.shipped(after)))

        context = PassContext(contract=True, target=self.options.target,
                              shipped_size=pipeline.objective.measure_for_passes(),
                              kept_names=frozenset(self.options.keep), settings={"seed": self.options.seed})
        quick = self.quick_oracle(golfed, source, spec, runs, pool)
        search = Search(catalogue(), pipeline.objective.better, pool, quick=quick, broken=pipeline.broken_sites,
                        settings=SearchSettings(seconds=self.options.search_seconds, seed=self.options.seed),
                        context=context, on_batch=kept, rank=pipeline.objective.key,
                        shipped=pipeline.objective.shipped,
                        # Unsandboxed runs: mutants keep to the words the program already spells.
                        confined=pool.verifier.unsandboxed is None)
        try:
            outcome = search.run(golfed)
        finally:
            if quick is not None:
                quick.close()
        self.search_counts = outcome.counts.to_json()
        if quick is not None and quick.note:  # unusable on a text the search reached later
            self.quick_note += f"; on a later text not used ({quick.note})"
        self.search_counts["quick_oracle"] = self.quick_note
        self.search_counts["confined"] = search.confined
        return outcome.text

    def quick_oracle(self, golfed: str, source: str, spec: RunSpec, runs: ReferenceRuns, pool: VerificationPool):
        """With ``quick_set`` (NAME=VALUE), the search's quick oracle: mutants run with those
        constants lowered, against the text the search is on lowered the same way (a run of it
        per text, made when the search reaches it). None without one, or when it cannot be used
        on ``golfed``; the report's search.quick_oracle says which and why."""
        from golfkit.search.quick import QuickOracle

        overrides = tuple(parse_assignment(item, "--quick-set") for item in self.options.quick_set)
        if not overrides:
            self.quick_note = "none: each mutant is screened by its own full run (--quick-set NAME=VALUE adds one)"
            return None
        flags = " ".join(f"{name}={value}" for name, value in overrides)
        overridden = sorted({name for name, _ in overrides} & {name for name, _ in self.options.overrides})
        if overridden:
            self.quick_note = f"{flags}: not used (--set already sets {', '.join(overridden)})"
            return None
        if self.options.harness is not None:
            self.quick_note = f"{flags}: not used with a harness (the harness's run is not the program's)"
            return None
        full_seconds = sum(result.elapsed for result in runs.results)

        def judge_for(lowered_text: str):
            """A pool judging against ``lowered_text``'s own runs, when they end as the program's do
            in at most half its time."""
            quick_spec = dataclasses.replace(spec, program=lowered_text.encode("utf-8"))
            try:
                quick_runs = ReferenceRunner(self.options, self.cache, self.listener).run(
                    quick_spec, f"{spec.file_name} (quick: {flags})", False, digest(lowered_text), self.cases)
            except GolfkitError as error:
                return None, f"the text lowered does not run as a reference can ({error.message})"
            statuses = [result.returncode for result in quick_runs.results]
            if statuses != [result.returncode for result in runs.results]:
                return None, f"the text lowered exits with status {statuses[0]}, not as the program does"
            quick_seconds = sum(result.elapsed for result in quick_runs.results)
            if quick_seconds > full_seconds / 2:
                return None, f"the text lowered runs {quick_seconds:.1f} s, not much less than {full_seconds:.1f} s"
            # A screen, not a verdict: a mutant that runs twice as long as the lowered text did is
            # given up (a false rejection only costs a chance), not waited for as a full run would be.
            verifier = Verifier(quick_runs.results, cases=self.cases, python=self.options.python, data=self.data,
                                cache=self.cache, timeout=self.options.timeout or 2 * quick_seconds + 5,
                                memory_limit_mb=self.options.memory_limit_mb, precheck_python=quick_runs.precheck_python,
                                jobs=self.options.jobs, sandbox=self.options.sandbox)
            return VerificationPool(verifier, self.options.jobs, self.listener, pool.file_name, pool.modules), ""

        oracle = QuickOracle(source, overrides, judge_for)
        if oracle.usable(golfed):
            self.quick_note = f"{flags}, lowered by value in each mutant and in the text it comes from"
            return oracle
        self.quick_note = f"{flags}: not used ({oracle.note})"
        return None

    def harness_program(self, source_path: Path) -> tuple[str, bytes] | None:
        """With --harness, its file name and code (it runs; the golfed program is its module)."""
        harness = self.options.harness
        if harness is None:
            return None
        if self.options.bundle:
            raise UsageError("--harness and --bundle do not go together: the harness imports the program's modules")
        if harness.resolve() == source_path.resolve():
            raise UsageError(f"{harness}: the harness must be another program than the one golfed")
        try:
            return harness.name, harness.read_bytes()
        except OSError as error:
            raise SourceError(f"{harness}: cannot read the harness ({error.strerror})") from None

    def bundle(self, source: str, modules: tuple) -> Bundle | None:
        """With --bundle, the program with its local modules inside (None: no module to bundle)."""
        if not self.options.bundle:
            return None
        return bundle_program(source, modules)

    def bundle_stage(self, bundled: Bundle, source: str, pool: VerificationPool, pipeline: Pipeline) -> str:
        """The bundled program, verified running alone under the target interpreter (compacted
        modules first, else the modules as written), as the stage the passes start from."""
        started = time.perf_counter()
        failures = []
        for text in dict.fromkeys((bundled.text, bundled.plain)):
            verdict = pool.result(pool.submit(text, "bundle", final=True))
            if verdict.identical:
                lines = pipeline.executed_lines.get(digest(source))
                if lines is not None:  # the program's trace, moved below the import hook
                    pipeline.executed_lines[digest(text)] = bundled.executed_lines(lines)
                pipeline.add_stage(StageRecord.for_pass(
                    pipeline.next_step, 0, "bundle", "safe", StageVerdict.VERIFIED, input_text=source, text=text,
                    reason=f"{len(bundled.modules)} modules inside", edits_total=len(bundled.modules),
                    edits_kept=len(bundled.modules), pass_seconds=time.perf_counter() - started,
                    run=RunFacts.of(verdict, pool.verifier.reference), shipped=pipeline.objective.shipped(text)))
                return text
            failures.append(verdict.reason)
        raise GolfkitError(f"the bundled program does not run alone as the program did ({failures[-1]}); "
                           "build without --bundle", ExitCode.BUILD)

    def reference_runs(self, spec: RunSpec, source: str, name: str, passes: list) -> RunsAhead:
        """The reference's runs on every case, made ahead of the target's when the pre-check
        interpreter can stand in for it (``ReferenceRunner.run_ahead``). A program that reads input
        and has no case is refused when its probed run shows a read executed (a read where no
        trace exists, or in a reference that fails on empty input, counts too), unless
        --assume-no-input."""
        self.input_reads = input_reads(source)
        confirm = bool(self.input_reads) and not self.cases and not self.options.assume_no_input
        # A harness's trace shows the harness's lines, not the program's: no trace then.
        traced = (confirm or any(p.name == "contract-prune" for p in passes)) and self.options.harness is None
        runner = ReferenceRunner(self.options, self.cache, self.listener)
        try:
            ahead = runner.run_ahead(spec, name, traced, digest(source), self.cases) if self.run_ahead else None
            ahead = ahead or RunsAhead.settle(runner.run(spec, name, traced, digest(source), self.cases))
        except GolfkitError as error:
            if confirm and error.exit_code == ExitCode.REFERENCE:
                raise input_refusal(name, self.input_reads) from None
            raise
        if confirm:
            executed = ahead.runs.executed_lines.get(digest(source))
            confirmed = [read for read in self.input_reads if executed is None or read.line in executed]
            if confirmed:
                ahead.stop.set()
                raise input_refusal(name, confirmed)
        return ahead

    def objective(self) -> Objective:
        """A packing build is judged by the size of its packed file (``--objective raw``: by the
        raw text, the packed size still reported); without packing, by the raw text."""
        measure = self.pack_stage.measure if self.options.pack else None
        return Objective(self.options.target, measure, by_shipped=self.options.objective == "shipped")

    def report(self, source: str, runs: ReferenceRuns, verifier: Verifier, pipeline: Pipeline,
               final_bytes: bytes, pack_report: dict | None) -> dict:
        """report.json's content (``wall_seconds`` is added once the build is done)."""
        options = self.options
        return {
            "golfkit": __version__,
            "source": str(options.source),
            "target": options.target,
            "judge": options.judge,
            "overrides": dict(options.overrides),
            "quick_build": bool(options.overrides),
            # Input the program reads, and whether the build went on for none at all (--assume-no-input).
            "input_reads": [read.describe() for read in self.input_reads],
            "assumed_no_input": options.assume_no_input and not self.cases,
            "contract_passes": options.contract,
            "interpreter": options.python,
            "interpreter_version": interpreter_version(options.python),
            "objective": "raw" if not pipeline.objective.decides_by_shipped else "shipped",
            "shipped_measure": self.measure_cost(),
            "reference": {
                "chars": char_count(source), "bytes": byte_count(source), "deflate": deflate_size(source),
                "shipped": pipeline.objective.shipped(source),
                "lines": verifier.expected_lines, "seconds": round(runs.result.elapsed, 3),
                "peak_memory_kb": runs.result.peak_memory_kb, "exit_status": runs.result.returncode,
                "stderr_bytes": len(runs.result.stderr),
            },
            "stages": [record.to_json() for record in pipeline.records],
            "pack": pack_report,
            "final": {"file": self.final_name, "chars": file_char_count(final_bytes), "bytes": len(final_bytes),
                      "verified": True},
            "precheck_interpreter": verifier.precheck_python,
            "precheck_version": verifier.precheck_python and interpreter_version(verifier.precheck_python),
            "precheck_reference_seconds": runs.precheck_seconds if verifier.precheck_python else None,
            "precheck_refused": runs.precheck_refused,
            # Seconds into the target's reference run when candidates began to be judged against
            # the pre-check interpreter's (confirmed by the target's at its end); None: not ahead.
            "reference_run_ahead": self.ahead_seconds,
            "confirmed_by_packed_file": self.confirmed_by_packed_file,
            "trace_note": runs.trace_note,
            "confirmation_failures": pipeline.confirmation_failures,
            "known_broken_skipped": sum(record.known_broken_skipped for record in pipeline.records),
            "known_broken_sites": len(pipeline.broken_sites),
            "runs_made": verifier.runs_made,
            "precheck_runs_made": verifier.precheck_runs_made,
            # Whether the runs were sandboxed (golfkit.sandbox) and, when not, why.
            "sandboxed": verifier.unsandboxed is None, "unsandboxed_reason": verifier.unsandboxed,
        }

    def measure_cost(self) -> dict | None:
        """What the shipped measure cost: texts measured, calls answered, seconds spent."""
        if not self.options.pack:
            return None
        measure = self.pack_stage.measure
        return {"texts": measure.computed, "calls": measure.calls, "seconds": round(measure.seconds, 3)}

    def pack_ahead(self, text: str, round_number: int) -> None:
        """Pack ``text`` in the background, should the next round change nothing. Not after the
        first round: it changes a program most, the next round nearly always changes it again, and
        packing what is then thrown away would take a core from that round's passes."""
        if round_number > 1:
            self.pack_stage.pack_ahead(text)

    def queue_final_runs(self, golfed: str, pool: VerificationPool) -> list[str]:
        """Queue, ahead of time, the runs the build will need once ``golfed`` is its result: its
        confirmation under the target interpreter and its shortest packed form."""
        keys = []
        if self.options.pack:
            keys += self.pack_stage.queue_ahead(golfed, pool)
        if pool.verifier.precheck_python and not keys:
            keys.append(pool.submit(golfed, "confirm under target (ahead)", final=True))
        return keys

    def packed_and_confirmed(self, golfed: str, pool: VerificationPool, pipeline: Pipeline):
        """Under a pre-check interpreter, the pack pick when the shortest packed form of ``golfed``
        verifies under the target: that file runs ``golfed`` itself, so its run confirms the text
        too and no separate full run of the unpacked text is made. None otherwise (then the text
        is confirmed on its own, and an earlier stage taken should it fail)."""
        if not (self.options.pack and pool.verifier.precheck_python):
            return None
        worth = self.pack_stage.forms(golfed).worth_a_run
        if not worth:
            return None
        verdict = pool.result(pool.submit(worth[0].data, f"pack {worth[0].scheme}", final=True))
        if not verdict.identical:
            return None
        return self.pack_stage.pick(golfed, pool, pipeline.next_step)

    def confirm_final(self, golfed: str, source: str, pipeline: Pipeline, pool: VerificationPool) -> str:
        """Under a pre-check interpreter the stages were judged by it alone: the result must also
        hold under the target interpreter, else the latest stage that does is the result."""
        if not pool.verifier.precheck_python:
            return golfed
        stages = [r.text for r in reversed(pipeline.records) if r.verdict.kept and r.text is not None]
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

    def write_outputs(self, folder: Path, records: list[StageRecord], final: bytes, report: dict) -> None:
        """Stage files first, then the final program and the report, each atomically; an
        interrupt waits until all are written, so the two never disagree."""
        with deferred_interrupts():
            for stale in folder.glob("[0-9][0-9]-*.py"):
                stale.unlink()
            for record in records:
                name = record.file_name()
                if name is not None:
                    atomic_write(folder / name, record.content())
            atomic_write(folder / self.final_name, final)
            atomic_write(folder / REPORT_NAME, (json.dumps(report, indent=2) + "\n").encode())
