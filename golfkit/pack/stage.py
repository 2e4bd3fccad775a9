"""The build's pack stage: the packed forms of the golfed text, the look-ahead run of the most
promising one, and the pick of the shortest form that verifies under the target interpreter."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from golfkit.pack import PackCandidate, pack, sort_key
from golfkit.pack.background import pack_in_background, packed
from golfkit.pack.measure import ShippedMeasure
from golfkit.stages import RunFacts, StageRecord


@dataclass(frozen=True)
class PackedForms:
    ordered: tuple[PackCandidate, ...]  # every form the packer made, shortest first
    worth_a_run: tuple[PackCandidate, ...]  # those shorter than the unpacked source itself


@dataclass(frozen=True)
class PackPick:
    data: bytes  # the file to ship: the verified packed form, else the golfed text itself
    report: dict  # report.json's "pack" entry
    record: StageRecord | None = field(default=None, repr=False)  # the stage's row, when a form verified


class PackStage:
    """Packs golfed texts for one target and judge; each text's forms are computed once, shared by
    the look-ahead and the final pick. ``measure`` is the cheap estimate of the same packer's
    result, by which the build compares the texts it goes through."""

    def __init__(self, target: str, judge: str, codecs: tuple[str, ...]):
        self.target = target
        self.judge = judge
        self.codecs = codecs
        self._forms: dict[str, PackedForms] = {}
        self._ahead: dict = {}  # text -> its pack, under way in the background
        self.measure = ShippedMeasure(target, judge, codecs)

    def pack_ahead(self, golfed: str) -> None:
        """Start packing ``golfed`` in the background, should it be the build's result: the
        passes go on meanwhile, and ``forms`` takes the result when it is asked."""
        if golfed in self._forms or golfed in self._ahead:
            return
        self.cancel_ahead()  # a later text supersedes those not started yet
        future = pack_in_background(golfed, self.target, self.judge, self.codecs)
        if future is not None:
            self._ahead[golfed] = future

    def packing_ahead(self, golfed: str) -> bool:
        """Whether ``golfed`` is being packed in the background (or waits to be)."""
        return golfed in self._ahead

    def cancel_ahead(self) -> None:
        """Drop the packs ahead that have not started (the build is over, or has moved on)."""
        for text, future in list(self._ahead.items()):
            if future.cancel():
                del self._ahead[text]

    def forms(self, golfed: str) -> PackedForms:
        if golfed not in self._forms:
            ahead = self._ahead.pop(golfed, None)
            result = (ahead is not None and packed(ahead)) or pack(golfed, self.target, self.judge, self.codecs)
            ordered = tuple(sorted(result.candidates, key=sort_key(self.target)))
            unpacked = golfed.encode("utf-8")
            worth = []
            for candidate in ordered:
                if candidate.scheme == "unpacked" or candidate.data == unpacked:
                    break
                worth.append(candidate)
            self._forms[golfed] = PackedForms(ordered, tuple(worth))
        return self._forms[golfed]

    def queue_ahead(self, golfed: str, pool) -> list[str]:
        """Queue the run of the shortest packed form, should ``golfed`` be the build's result."""
        worth = self.forms(golfed).worth_a_run
        if not worth:
            return []
        return [pool.submit(worth[0].data, f"pack {worth[0].scheme} (ahead)", final=True)]

    def pick(self, golfed: str, pool, step: int) -> PackPick:
        """Try the packed forms, shortest first, until one verifies under the target interpreter;
        ``step`` numbers the stage's row."""
        started = time.perf_counter()
        forms = self.forms(golfed)
        report = {
            "candidates": [{"scheme": c.scheme, "chars": c.chars, "bytes": c.size_bytes} for c in forms.ordered],
            "chosen": "unpacked",
            "rejected": [],
        }
        for candidate in forms.worth_a_run:
            verdict = pool.result(pool.submit(candidate.data, f"pack {candidate.scheme}", final=True))
            if verdict.identical:
                report["chosen"] = candidate.scheme
                record = StageRecord.for_pack(step, golfed, candidate, pass_seconds=time.perf_counter() - started,
                                              run=RunFacts.of(verdict, pool.verifier.reference), target=self.target)
                return PackPick(candidate.data, report, record)
            report["rejected"].append({"scheme": candidate.scheme, "reason": verdict.reason})
        return PackPick(golfed.encode("utf-8"), report)
