"""The ordered pass pipeline with full-log parity after every pass.

Passes are cheap and runs are not, so the pipeline computes ahead: each pass is applied to the
previous pass's (not yet verified) output and every distinct candidate is verified concurrently.
Results are then taken in order; when a candidate fails, the speculative candidates built on it
are cancelled, the failing pass is bisected over its edits on the last verified source, and the
chain is recomputed from there. Rounds repeat until one saves nothing.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable, Protocol

from golfkit.cache import PassCache
from golfkit.passes.base import Edits, Pass, PassContext
from golfkit.sizes import byte_count, char_count, deflate_size
from golfkit.verify import Verdict, Verifier


@dataclass
class StageRecord:
    """One row of the build report."""

    step: int
    round: int
    name: str
    safety: str
    chars: int
    bytes: int
    deflate: int
    delta_chars: int = 0
    delta_bytes: int = 0
    verdict: str = "verified"  # verified | partial | rejected | no change | not shorter | error
    reason: str = ""
    edits_total: int = 0
    edits_kept: int = 0
    pass_seconds: float = 0.0
    run_seconds: float | None = None
    runtime_ratio: float | None = None
    memory_ratio: float | None = None
    cached: bool = False
    prechecked: bool = False
    file: str | None = None
    source: str | None = field(default=None, repr=False)  # the stage's output text (not in JSON)
    input_source: str | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("source")
        data.pop("input_source")
        return data


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
    """The target's size first, the other measure as tie-breaker."""
    chars, size = char_count(source), byte_count(source)
    return (chars, size) if target == "chars" else (size, chars)


def digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


class VerificationPool:
    """Verifies candidates concurrently, once per distinct text, with cancellable runs."""

    def __init__(self, verifier: Verifier, jobs: int, listener: Listener, file_name: str, modules: tuple):
        self.verifier = verifier
        self.listener = listener
        self.file_name = file_name
        self.modules = modules
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
        try:
            return self.verifier.check(
                text.encode("utf-8") if isinstance(text, str) else text, file_name=self.file_name, modules=self.modules, cancel=cancel, on_line=on_line,
                final=final,
            )
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


@dataclass
class _Candidate:
    golf_pass: Pass
    round: int
    input_source: str
    output: str
    edits_total: int
    pass_seconds: float
    key: str | None  # the queued verification; None when there is nothing to verify
    skipped: tuple[str, str] = ("", "")  # (verdict, reason) when key is None


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
        pass_cache: PassCache | None = None,
    ):
        self.passes = passes
        self.pool = pool
        self.target = target
        self.max_rounds = max_rounds
        self.contract = contract
        self.executed_lines = executed_lines or {}
        self.listener = listener or SilentListener()
        self.records: list[StageRecord] = []
        self.confirmation_failures: list[str] = []  # stages the pre-check passed but the target did not
        self.reference = pool.verifier.reference
        # Called with the text the build would end on if every queued candidate verifies; it may
        # queue that text's own follow-up runs (the packed file) and returns their keys.
        self.on_fixpoint = on_fixpoint
        self._lookahead: list[str] = []  # keys queued for later rounds, on the current chain's success
        self._applied: dict[tuple, tuple] = {}
        self.pass_cache = pass_cache
        # Passes are applied on a thread of lower priority: while candidates run on every core,
        # computing ahead must not slow them down, only use what they leave idle.
        self._passes_thread = ThreadPoolExecutor(1, thread_name_prefix="golfkit-passes", initializer=_lower_priority)

    # -- applying passes -------------------------------------------------------------------------
    def _context(self, source: str) -> PassContext:
        return PassContext(executed_lines=self.executed_lines.get(digest(source)), contract=self.contract)

    def _apply(self, golf_pass: Pass, source: str, allowed=None) -> tuple[str | None, int, tuple[str, str], float]:
        """Run one pass; returns (output or None, sites, (verdict, reason) when None, seconds).
        Passes are deterministic, so a whole-pass result is remembered: looking ahead and the
        round that later reaches the same text share it."""
        memo_key = (golf_pass.name, id(golf_pass), digest(source)) if allowed is None else None
        if memo_key is not None and memo_key in self._applied:
            return self._applied[memo_key]
        stored_key = self._stored_key(golf_pass, source, allowed)
        result = self._stored_result(stored_key) if stored_key else None
        if result is None:
            result = self._passes_thread.submit(self._apply_once, golf_pass, source, allowed).result()
            if stored_key and result[2][0] != "error":
                output, sites, skipped, seconds = result
                self.pass_cache.put_body(stored_key, {"output": output, "sites": sites, "skipped": list(skipped),
                                                      "seconds": seconds})
        if memo_key is not None:
            self._applied[memo_key] = result
        return result

    def _stored_result(self, key: str) -> tuple | None:
        """A pass result from the pass cache, or None when missing or not of the stored shape."""
        body = self.pass_cache.get_body(key)
        try:
            return body["output"], int(body["sites"]), tuple(body["skipped"]), float(body["seconds"])
        except (TypeError, KeyError, ValueError):
            return None

    def _stored_key(self, golf_pass: Pass, source: str, allowed) -> str | None:
        """The pass cache's key; only golfkit's own passes, whose code the key covers, are stored."""
        if self.pass_cache is None or not type(golf_pass).__module__.startswith("golfkit."):
            return None
        lines = self.executed_lines.get(digest(source))
        facts = "|".join((
            f"target={self.target}",  # decides "not shorter"
            f"contract={self.contract}",
            "lines=" + (",".join(map(str, sorted(lines))) if lines is not None else "none"),
            "edits=" + ("all" if allowed is None else ",".join(map(str, allowed))),
        ))
        return PassCache.key(golf_pass.name, source, facts)

    def _apply_once(self, golf_pass: Pass, source: str, allowed) -> tuple[str | None, int, tuple[str, str], float]:
        started = time.perf_counter()
        edits = Edits(allowed)
        try:
            output = golf_pass.apply(source, self._context(source), edits)
            compile(output, "<candidate>", "exec")
        except SyntaxError as error:
            skipped = ("error", f"output does not compile: {error.msg} (line {error.lineno})")
            return None, edits.count, skipped, time.perf_counter() - started
        except Exception as error:  # a broken pass must never end the build
            skipped = ("error", f"pass failed: {type(error).__name__}: {error}")
            return None, edits.count, skipped, time.perf_counter() - started
        seconds = time.perf_counter() - started
        if output == source:
            return None, edits.count, ("no change", ""), seconds
        if measure(output, self.target) >= measure(source, self.target):
            return None, edits.count, ("not shorter", "not shorter"), seconds
        return output, edits.count, ("", ""), seconds

    def _record(self, name, safety, round_number, source, previous, **fields) -> StageRecord:
        record = StageRecord(
            step=len(self.records) + 1,
            round=round_number,
            name=name,
            safety=safety,
            chars=char_count(source),
            bytes=byte_count(source),
            deflate=deflate_size(source),
            delta_chars=char_count(source) - char_count(previous),
            delta_bytes=byte_count(source) - byte_count(previous),
            source=source,
            input_source=previous,
            **fields,
        )
        self.records.append(record)
        self.listener.stage(record)
        return record

    def _run_fields(self, verdict: Verdict) -> dict:
        result = verdict.result
        if verdict.prechecked:  # another interpreter's timings say nothing of the target's
            return dict(run_seconds=round(result.elapsed, 3), cached=verdict.cached, prechecked=True)
        return dict(
            run_seconds=round(result.elapsed, 3),
            runtime_ratio=round(result.elapsed / self.reference.elapsed, 3) if self.reference.elapsed else None,
            memory_ratio=round(result.peak_memory_kb / self.reference.peak_memory_kb, 3)
            if self.reference.peak_memory_kb
            else None,
            cached=verdict.cached,
        )

    # -- the main loop ---------------------------------------------------------------------------
    def run(self, source: str) -> str:
        verified = source
        try:
            for round_number in range(1, self.max_rounds + 1):
                round_start = verified
                verified = self._round(verified, round_number)
                if measure(verified, self.target) >= measure(round_start, self.target):
                    break
        finally:
            self._passes_thread.shutdown(wait=False, cancel_futures=True)
        return verified

    def _chain(self, base: str, passes: list[Pass], round_number: int, label: str = "",
               under: tuple[_Candidate, ...] = ()) -> list[_Candidate]:
        """Apply the passes in a chain from ``base`` (built on the candidates ``under``) and queue
        every change for verification."""
        chain = []
        for golf_pass in passes:
            if any(c.key is not None and self.pool.failed(c.key) for c in (*under, *chain)):
                break  # all that would follow is void: go and bisect the failure at once
            output, sites, skipped, seconds = self._apply(golf_pass, base)
            if output is None:
                chain.append(_Candidate(golf_pass, round_number, base, base, sites, seconds, None, skipped))
                continue
            key = self.pool.submit(output, golf_pass.name + label)
            chain.append(_Candidate(golf_pass, round_number, base, output, sites, seconds, key))
            base = output
        return chain

    def _speculate(self, base: str, passes: list[Pass], round_number: int) -> list[_Candidate]:
        """The round's chain, then everything that follows it if it all verifies: the later
        rounds' chains and the fixpoint's own runs, so no core idles at a round's end."""
        chain = self._chain(base, passes, round_number)
        previous, self._lookahead = self._lookahead, []
        text, changed, later = chain[-1].output if chain else base, any(c.key for c in chain), round_number
        complete = len(chain) == len(passes)  # else it stopped at a failure: nothing lies ahead
        under = list(chain)
        while complete and changed and later < self.max_rounds:
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
                golf_pass = candidate.golf_pass
                if candidate.key is None:  # nothing to verify
                    verdict_text, reason = candidate.skipped
                    self._record(golf_pass.name, golf_pass.safety.value, round_number, verified, verified,
                                 verdict=verdict_text, reason=reason,
                                 edits_total=candidate.edits_total, pass_seconds=round(candidate.pass_seconds, 3))
                    continue
                verdict = self.pool.result(candidate.key)
                if verdict.identical:
                    verified = candidate.output
                    self._record(golf_pass.name, golf_pass.safety.value, round_number, verified, candidate.input_source,
                                 edits_total=candidate.edits_total, edits_kept=candidate.edits_total,
                                 pass_seconds=round(candidate.pass_seconds, 3), **self._run_fields(verdict))
                    continue
                # Everything computed on top of the failed candidate is void.
                for later in chain[position + 1:]:
                    if later.key is not None:
                        self.pool.drop(later.key)
                self._drop_lookahead()
                verified = self._bisect(candidate, verdict, round_number)
                remaining = passes[position + 1:]  # the chain may stop short of them (see _chain)
                break
        return verified

    # -- bisection -------------------------------------------------------------------------------
    def _bisect(self, candidate: _Candidate, failure: Verdict, round_number: int) -> str:
        """Keep the largest set of the pass's edits that verifies, on the last verified source."""
        golf_pass, base, total = candidate.golf_pass, candidate.input_source, candidate.edits_total
        started = time.perf_counter()
        kept: list[list[int]] = []
        pending = _halves(list(range(total))) if total > 1 else []
        best_text, best_verdict = None, None
        while pending:
            queued = []
            for subset in pending:
                output, _, _, _ = self._apply(golf_pass, base, subset)
                if output is None:
                    continue
                queued.append((subset, output, self.pool.submit(output, f"{golf_pass.name} (bisect)")))
            pending = []
            for subset, output, key in queued:
                verdict = self.pool.result(key)
                if verdict.identical:
                    kept.append(subset)
                elif len(subset) > 1:
                    pending.extend(_halves(subset))
        if kept:
            union = sorted(i for subset in kept for i in subset)
            output, _, _, _ = self._apply(golf_pass, base, union)
            if output is not None:
                verdict = self.pool.result(self.pool.submit(output, f"{golf_pass.name} (bisect)"))
                if verdict.identical:
                    best_text, best_verdict, best_count = output, verdict, len(union)
            if best_text is None:  # edits that pass alone but not together: keep the best single set
                for subset in sorted(kept, key=len, reverse=True):
                    output, _, _, _ = self._apply(golf_pass, base, subset)
                    verdict = self.pool.result(self.pool.submit(output, f"{golf_pass.name} (bisect)"))
                    if verdict.identical:
                        best_text, best_verdict, best_count = output, verdict, len(subset)
                        break
        seconds = round(candidate.pass_seconds + time.perf_counter() - started, 3)
        reason = failure.reason
        if best_text is None:
            self._record(golf_pass.name, golf_pass.safety.value, round_number, base, base, verdict="rejected",
                         reason=reason, edits_total=total, edits_kept=0, pass_seconds=seconds,
                         **self._run_fields(failure))
            self.records[-1].source = candidate.output  # kept for `golfkit diff`
            return base
        self._record(golf_pass.name, golf_pass.safety.value, round_number, best_text, base, verdict="partial",
                     reason=f"{total - best_count} of {total} edits dropped; whole pass: {reason}",
                     edits_total=total, edits_kept=best_count, pass_seconds=seconds, **self._run_fields(best_verdict))
        return best_text


def _lower_priority(step: int = 10) -> None:
    """Lower the calling thread's scheduling priority (Linux: niceness is per thread), so runs
    started by other threads keep theirs."""
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + step))
    except (AttributeError, OSError):
        pass  # elsewhere, passes run at the same priority as the runs


def _halves(items: list[int]) -> list[list[int]]:
    middle = len(items) // 2
    return [items[:middle], items[middle:]]
