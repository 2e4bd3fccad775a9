"""The ordered pass pipeline with full-log parity after every pass.

Passes are cheap and runs are not, so the pipeline computes ahead: each pass is applied to the
previous pass's (not yet verified) output and every distinct candidate is verified concurrently.
Results are then taken in order; when a candidate fails, the speculative candidates built on it
are cancelled, the failing pass is bisected over its edits on the last verified source (see
golfkit.bisection: the sites found to break are remembered and left out from then on), and the
chain is recomputed from there. Rounds repeat until one saves nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Protocol

from golfkit.bisection import BrokenSites, bisect_edits
from golfkit.cache import PassCache
from golfkit.passes.base import Edits, Pass, PassContext, Skip
from golfkit.sizes import byte_count, char_count
from golfkit.stages import RunFacts, StageRecord, StageVerdict
from golfkit.verify import Verdict, Verifier


class Listener(Protocol):
    def stage(self, record: StageRecord) -> None: ...

    def run_started(self, label: str, total_lines: int) -> Callable[[int], None]:
        """A callback taking the number of lines seen so far; its ``finish()`` ends the run."""


def _ignore_line(line: int) -> None:
    pass


_ignore_line.finish = lambda: None


class SilentListener:
    def stage(self, record):
        pass

    def run_started(self, label, total_lines):
        return _ignore_line


def measure(source: str, target: str) -> tuple[int, int]:
    """The target's raw size first, the other raw measure as tie-breaker."""
    chars, size = char_count(source), byte_count(source)
    return (chars, size) if target == "chars" else (size, chars)


@dataclass(frozen=True)
class Objective:
    """What the build minimises. For a packing build the file that ships is the packed one, whose
    size follows the compressed stream rather than the raw text: ``shipped_size`` gives it (the
    packer's cheap estimate, see golfkit.pack.measure), and with ``by_shipped`` a text is better
    when its shipped size is smaller, ties broken by the raw measure. Without either, the raw
    measure decides alone; the shipped size is still reported when known."""

    target: str
    shipped_size: Callable[[str], int] | None = None
    by_shipped: bool = True

    @property
    def decides_by_shipped(self) -> bool:
        return self.by_shipped and self.shipped_size is not None

    def shipped(self, text: str) -> int:
        """The size of the file that would ship: packed, or the raw target size without a packer."""
        return self.shipped_size(text) if self.shipped_size is not None else measure(text, self.target)[0]

    def key(self, text: str) -> tuple[int, ...]:
        """Smaller is better."""
        raw = measure(text, self.target)
        return (self.shipped(text), *raw) if self.decides_by_shipped else raw

    def better(self, text: str, than: str) -> bool:
        return self.key(text) < self.key(than)

    def measure_for_passes(self) -> Callable[[str], int] | None:
        """What passes deciding by the shipped size receive as ``PassContext.shipped_size``."""
        return self.shipped_size if self.decides_by_shipped else None

    def describe(self) -> str:
        """What decides, for the keys of stored pass results."""
        if not self.decides_by_shipped:
            return f"raw/{self.target}"
        return getattr(self.shipped_size, "describe", lambda: "shipped")()

    def not_better(self, before: str, after: str) -> str:
        """Why ``after`` is not kept, in a few words."""
        if not self.decides_by_shipped:
            return "not shorter"
        shipped = f"packed size {self.shipped(before)} -> {self.shipped(after)}"
        if self.shipped(before) != self.shipped(after):
            return shipped
        return f"{shipped}, {self.target} {measure(before, self.target)[0]} -> {measure(after, self.target)[0]}"


def digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


class VerificationPool:
    """Verifies candidates concurrently, once per distinct text, with cancellable runs."""

    def __init__(self, verifier: Verifier, jobs: int, listener: Listener, file_name: str, modules: tuple,
                 harness: tuple[str, bytes] | None = None):
        self.verifier = verifier
        self.listener = listener
        self.file_name = file_name
        self.modules = modules
        # (name, code) of a program that runs instead and imports the candidate as ``file_name``.
        self.harness = harness
        self.executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="golfkit-verify")
        self.futures: dict[str, Future] = {}
        self.cancels: dict[str, threading.Event] = {}
        self.wanted: dict[str, int] = {}  # how many open requests still want each candidate
        self.lock = threading.Lock()

    def submit(self, text: str | bytes, label: str, final: bool = False) -> str:
        """Queue a verification; ``final`` artifacts always run under the target interpreter."""
        key = digest(text) + ("-final" if final and self.verifier.precheck_python else "")
        with self.lock:
            self.wanted[key] = self.wanted.get(key, 0) + 1
            if key in self.futures and not self.cancels[key].is_set():
                return key
            cancel = threading.Event()
            self.cancels[key] = cancel
            self.futures[key] = self.executor.submit(self._verify, text, label, cancel, final)
        return key

    def _verify(self, text: str | bytes, label: str, cancel: threading.Event, final: bool) -> Verdict:
        if cancel.is_set():
            return None
        on_line = self.listener.run_started(label, self.verifier.expected_lines)
        program = text.encode("utf-8") if isinstance(text, str) else text
        file_name, modules = self.file_name, self.modules
        if self.harness is not None:  # the candidate is a module beside the harness that runs
            file_name, modules, program = self.harness[0], ((self.file_name, program), *modules), self.harness[1]
        try:
            return self.verifier.check(program, file_name=file_name, modules=modules, cancel=cancel, on_line=on_line,
                                       final=final)
        finally:
            on_line.finish()

    def result(self, key: str) -> Verdict:
        verdict = self.futures[key].result()
        with self.lock:
            self.wanted[key] = max(0, self.wanted.get(key, 0) - 1)
        return verdict

    def failed(self, key: str) -> bool:
        """Whether this candidate's run already ended in a difference."""
        future = self.futures.get(key)
        if future is None or not future.done() or future.exception() is not None:
            return False
        verdict = future.result()
        return verdict is not None and not verdict.identical

    def drop(self, key: str) -> None:
        """The caller no longer needs this candidate; stop its run if nobody else does."""
        with self.lock:
            self.wanted[key] = max(0, self.wanted.get(key, 0) - 1)
            if self.wanted[key] == 0 and not self.futures[key].done():
                self.cancels[key].set()
                self.futures.pop(key)

    def shutdown(self, cancel_all: bool = False) -> None:
        if cancel_all:
            for event in self.cancels.values():
                event.set()
        self.executor.shutdown(wait=True, cancel_futures=cancel_all)


@dataclass(frozen=True)
class Applied:
    """One application of a pass to a text."""

    output: str | None  # None: nothing to verify (``verdict`` says why)
    keys: tuple[str, ...]  # every site the pass proposed, in order
    skipped_blocked: int  # of which left out as known to break
    verdict: StageVerdict | None
    reason: str
    seconds: float

    @property
    def sites(self) -> int:
        return len(self.keys)

    def to_json(self) -> dict:
        return {"output": self.output, "keys": list(self.keys), "skipped_blocked": self.skipped_blocked,
                "verdict": None if self.verdict is None else self.verdict.value, "reason": self.reason,
                "seconds": self.seconds}

    @classmethod
    def from_json(cls, body) -> Applied | None:
        """A stored application, or None when the body is not of the stored shape."""
        try:
            keys = tuple(body["keys"])
            if not all(isinstance(key, str) for key in keys) or not isinstance(body["reason"], str):
                return None
            output, verdict = body["output"], body["verdict"]
            if (output is None) == (verdict is None) or not (output is None or isinstance(output, str)):
                return None
            return cls(output, keys, int(body["skipped_blocked"]), None if verdict is None else StageVerdict(verdict),
                       body["reason"], float(body["seconds"]))
        except (TypeError, KeyError, ValueError):
            return None


@dataclass(frozen=True)
class Candidate:
    """A pass applied on the chain, with its queued verification (None: nothing to verify)."""

    golf_pass: Pass
    round: int
    input_source: str
    applied: Applied
    blocked: frozenset[str]
    key: str | None

    @property
    def output(self) -> str:
        return self.applied.output if self.applied.output is not None else self.input_source


class Pipeline:
    def __init__(
        self,
        passes: list[Pass],
        pool: VerificationPool,
        target: str,
        *,
        max_rounds: int = 3,
        contract: bool = True,
        executed_lines: dict[str, frozenset[int]] | None = None,
        listener: Listener | None = None,
        on_fixpoint: Callable[[str], list[str]] | None = None,
        on_chain_end: Callable[[str, int], None] | None = None,
        pass_cache: PassCache | None = None,
        broken_sites: BrokenSites | None = None,
        objective: Objective | None = None,
        kept_names: frozenset[str] = frozenset(),
        settings: dict | None = None,
    ):
        self.passes = passes
        self.settings = dict(settings or {})  # the passes' knobs (PassContext.settings): the seed
        self.kept_names = kept_names  # module-level names something outside the text uses (a harness)
        self.pool = pool
        self.target = target
        self.objective = objective if objective is not None else Objective(target)
        self.max_rounds = max_rounds
        self.contract = contract
        self.executed_lines = executed_lines or {}
        self.listener = listener or SilentListener()
        self.records: list[StageRecord] = []
        self.confirmation_failures: list[str] = []  # stages the pre-check passed but the target did not
        # Called with the text the build would end on if every queued candidate verifies; it may
        # queue that text's own follow-up runs (the packed file) and returns their keys.
        self.on_fixpoint = on_fixpoint
        # Called with the text each changing chain ends on and its round, before the next round's
        # chain starts: the result, should that chain change nothing (the build packs it meanwhile).
        self.on_chain_end = on_chain_end
        self._lookahead: list[str] = []  # keys queued for later rounds, on the current chain's success
        self._applied: dict[tuple, Applied] = {}
        self.pass_cache = pass_cache
        self.broken_sites = broken_sites if broken_sites is not None else BrokenSites()
        # Passes are applied on a thread of lower priority: while candidates run on every core,
        # computing ahead must not slow them down, only use what they leave idle.
        self._passes_thread: ThreadPoolExecutor | None = None
        self.rounds_run = 0  # rounds of every ``run`` so far: a later run numbers its rounds on
        self._last_round = max_rounds  # the last round the current ``run`` may reach

    # -- stage records ---------------------------------------------------------------------------
    @property
    def next_step(self) -> int:
        return len(self.records) + 1

    def add_stage(self, record: StageRecord) -> None:
        """Append a row to the report (the pack stage adds its own) and show it."""
        if record.step != self.next_step:
            raise ValueError(f"stage {record.step} out of order (next is {self.next_step})")
        self.records.append(record)
        self.listener.stage(record)

    def run_facts(self, verdict: Verdict) -> RunFacts:
        # Read when asked: a reference the pre-check interpreter stood in for is replaced by the
        # target's own once it ends, before any run under the target is judged.
        return RunFacts.of(verdict, self.pool.verifier.reference)

    # -- applying passes -------------------------------------------------------------------------
    def _context(self, source: str) -> PassContext:
        return PassContext(executed_lines=self.executed_lines.get(digest(source)), contract=self.contract,
                           target=self.target, shipped_size=self.objective.measure_for_passes(),
                           kept_names=self.kept_names, settings=self.settings)

    def _apply(self, golf_pass: Pass, source: str, allowed=None, blocked: frozenset[str] = frozenset()) -> Applied:
        """Run one pass. Passes are deterministic, so a whole-pass result is remembered: looking
        ahead and the round that later reaches the same text share it."""
        memo_key = (golf_pass.name, id(golf_pass), digest(source), blocked) if allowed is None else None
        if memo_key is not None and memo_key in self._applied:
            return self._applied[memo_key]
        stored_key = self.pass_cache_key(golf_pass, source, allowed, blocked)
        applied = Applied.from_json(self.pass_cache.get_body(stored_key)) if stored_key else None
        if applied is None:
            applied = self._passes_thread.submit(self._apply_once, golf_pass, source, allowed, blocked).result()
            if stored_key and applied.verdict is not StageVerdict.ERROR:
                self.pass_cache.put_body(stored_key, applied.to_json())
        if memo_key is not None:
            self._applied[memo_key] = applied
        return applied

    def pass_cache_key(self, golf_pass: Pass, source: str, allowed=None,
                       blocked: frozenset[str] = frozenset()) -> str | None:
        """The pass cache's key; only golfkit's own passes, whose code the key covers, are stored."""
        if self.pass_cache is None or not type(golf_pass).__module__.startswith("golfkit."):
            return None
        lines = self.executed_lines.get(digest(source))
        facts = "|".join((
            f"target={self.target}",  # decides "not shorter"
            f"objective={self.objective.describe()}",  # so do some passes' own choices
            f"contract={self.contract}",
            "lines=" + (",".join(map(str, sorted(lines))) if lines is not None else "none"),
            "edits=" + ("all" if allowed is None else ",".join(map(str, allowed))),
            "blocked=" + json.dumps(sorted(blocked)),
            *(["kept=" + ",".join(sorted(self.kept_names))] if self.kept_names else []),
            *(["settings=" + json.dumps(self.settings, sort_keys=True)] if self.settings else []),
        ))
        return PassCache.key(golf_pass.name, source, facts)

    def _apply_once(self, golf_pass: Pass, source: str, allowed, blocked: frozenset[str]) -> Applied:
        started = time.perf_counter()
        edits = Edits(allowed, blocked)

        def nothing(verdict: StageVerdict, reason: str = "") -> Applied:
            return Applied(None, tuple(edits.keys), edits.skipped_blocked, verdict, reason,
                           time.perf_counter() - started)

        try:
            output = golf_pass.apply(source, self._context(source), edits)
            compile(output, "<candidate>", "exec")
        except Skip as skip:
            return nothing(StageVerdict.SKIPPED, skip.reason)
        except SyntaxError as error:
            return nothing(StageVerdict.ERROR, f"output does not compile: {error.msg} (line {error.lineno})")
        except Exception as error:  # a broken pass must never end the build
            return nothing(StageVerdict.ERROR, f"pass failed: {type(error).__name__}: {error}")
        if output == source:
            return nothing(StageVerdict.NO_CHANGE)
        if not self.objective.better(output, source):
            return nothing(StageVerdict.NOT_SHORTER, self.objective.not_better(source, output))
        return Applied(output, tuple(edits.keys), edits.skipped_blocked, None, "", time.perf_counter() - started)

    def _record(self, candidate: Candidate, verdict: StageVerdict, text: str | None, *, reason: str = "",
                edits_kept: int = 0, seconds: float | None = None, run: RunFacts | None = None) -> None:
        applied, golf_pass = candidate.applied, candidate.golf_pass
        after = text if verdict.kept else candidate.input_source
        self.add_stage(StageRecord.for_pass(
            self.next_step, candidate.round, golf_pass.name, golf_pass.safety.value, verdict,
            input_text=candidate.input_source, text=text, reason=reason, edits_total=applied.sites,
            edits_kept=edits_kept, known_broken_skipped=applied.skipped_blocked,
            pass_seconds=applied.seconds if seconds is None else seconds, shipped=self.objective.shipped(after),
            **({} if run is None else {"run": run}),
        ))

    # -- the main loop ---------------------------------------------------------------------------
    def run(self, source: str) -> str:
        """Rounds of the passes from ``source`` until one saves nothing (at most ``max_rounds``);
        the last verified text. A later call goes on with the next round numbers."""
        verified, context = source, self._context(source)
        for golf_pass in self.passes:
            golf_pass.prepare(context)
        self._passes_thread = ThreadPoolExecutor(1, thread_name_prefix="golfkit-passes", initializer=_lower_priority)
        first = self.rounds_run + 1
        self._last_round = first + self.max_rounds - 1
        try:
            for round_number in range(first, self._last_round + 1):
                self.rounds_run, round_start = round_number, verified
                verified = self._round(verified, round_number)
                if not self.objective.better(verified, round_start):
                    break
        finally:
            self._passes_thread.shutdown(wait=False, cancel_futures=True)
        return verified

    def _chain(self, base: str, passes: list[Pass], round_number: int, label: str = "",
               under: tuple[Candidate, ...] = ()) -> list[Candidate]:
        """Apply the passes in a chain from ``base`` (built on the candidates ``under``) and queue
        every change for verification."""
        chain = []
        for golf_pass in passes:
            if any(c.key is not None and self.pool.failed(c.key) for c in (*under, *chain)):
                break  # all that would follow is void: go and bisect the failure at once
            blocked = self.broken_sites.blocked(golf_pass.name)
            applied = self._apply(golf_pass, base, blocked=blocked)
            key = None if applied.output is None else self.pool.submit(applied.output, golf_pass.name + label)
            chain.append(Candidate(golf_pass, round_number, base, applied, blocked, key))
            base = chain[-1].output
        return chain

    def _speculate(self, base: str, passes: list[Pass], round_number: int) -> list[Candidate]:
        """The round's chain, then everything that follows it if it all verifies: the later
        rounds' chains and the fixpoint's own runs, so no core idles at a round's end."""
        chain = self._chain(base, passes, round_number)
        previous, self._lookahead = self._lookahead, []
        text, changed, later = chain[-1].output if chain else base, any(c.key for c in chain), round_number
        complete = len(chain) == len(passes)  # else it stopped at a failure: nothing lies ahead
        under = list(chain)
        while complete and changed and later < self._last_round:
            if self.on_chain_end is not None:
                self.on_chain_end(text, later)
            later += 1
            ahead = self._chain(text, self.passes, later, f" (round {later}, ahead)", tuple(under))
            under += ahead
            self._lookahead += [c.key for c in ahead if c.key is not None]
            complete = len(ahead) == len(self.passes)
            changed = any(c.key for c in ahead)
            text = ahead[-1].output if ahead else text
        if self.on_fixpoint is not None and complete:
            self._lookahead += self.on_fixpoint(text)
        for key in previous:  # dropped after the new requests, so shared runs go on
            self.pool.drop(key)
        return chain

    def _drop_lookahead(self) -> None:
        for key in self._lookahead:
            self.pool.drop(key)
        self._lookahead = []

    def _round(self, verified: str, round_number: int) -> str:
        remaining = list(self.passes)
        while remaining:
            passes, chain = remaining, self._speculate(verified, remaining, round_number)
            remaining = []
            for position, candidate in enumerate(chain):
                if candidate.key is None:  # nothing to verify
                    self._record(candidate, candidate.applied.verdict, None, reason=candidate.applied.reason)
                    continue
                verdict = self.pool.result(candidate.key)
                if verdict.identical:
                    verified = candidate.output
                    applied = candidate.applied
                    self._record(candidate, StageVerdict.VERIFIED, verified,
                                 edits_kept=applied.sites - applied.skipped_blocked, run=self.run_facts(verdict))
                    continue
                # Everything computed on top of the failed candidate is void.
                for later in chain[position + 1:]:
                    if later.key is not None:
                        self.pool.drop(later.key)
                self._drop_lookahead()
                verified = self._bisect(candidate, verdict)
                remaining = passes[position + 1:]  # the chain may stop short of them (see _chain)
                break
        return verified

    # -- bisection -------------------------------------------------------------------------------
    def _bisect(self, candidate: Candidate, failure: Verdict) -> str:
        """Keep the largest set of the pass's edits that verifies, on the last verified source,
        and remember the sites that fail on their own."""
        golf_pass, base, applied = candidate.golf_pass, candidate.input_source, candidate.applied
        started = time.perf_counter()
        label = f"{golf_pass.name} (bisect)"
        enabled = [index for index, key in enumerate(applied.keys) if key not in candidate.blocked]
        found = bisect_edits(
            enabled,
            apply=lambda subset: self._apply(golf_pass, base, subset, candidate.blocked).output,
            submit=lambda text: self.pool.submit(text, label),
            result=self.pool.result,
            rank=self.objective.key,
        )
        self.broken_sites.remember(golf_pass.name, [applied.keys[index] for index in found.broken])
        seconds = applied.seconds + time.perf_counter() - started
        total, reason = applied.sites, failure.reason
        if found.text is None:
            # The failed candidate is kept as the stage's text, for `golfkit diff`.
            self._record(candidate, StageVerdict.REJECTED, candidate.output, reason=reason, seconds=seconds,
                         run=self.run_facts(failure))
            return base
        self._record(candidate, StageVerdict.PARTIAL, found.text,
                     reason=f"{total - found.kept} of {total} edits dropped; whole pass: {reason}",
                     edits_kept=found.kept, seconds=seconds, run=self.run_facts(found.verdict))
        return found.text


def _lower_priority(step: int = 10) -> None:
    """Lower the calling thread's scheduling priority (Linux: niceness is per thread), so runs
    started by other threads keep theirs."""
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + step))
    except (AttributeError, OSError):
        pass  # elsewhere, passes run at the same priority as the runs
