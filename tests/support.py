"""Shared test helpers: run programs the way builds do and judge them with the build's judge.

``PassTest`` is the base for per-pass tests, in the manner of LibCST's ``CodemodTest``:
``assert_rewrite(before, after)`` checks the exact output *and* runs both sides (terser's rule:
every rewrite test also compares behaviour); ``assert_noop(before, reason)`` checks that the
pass leaves a text alone, and when a reason is given, that it declines with it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import ClassVar

from golfkit.passes.base import Edits, Pass, PassContext, Skip
from golfkit.pipeline import SilentListener
from golfkit.runner import RunLimits, RunResult, RunSpec, run_program
from golfkit.verify import judge


def run_source(source: str, *, files: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``source`` as ``python prog.py`` in a fresh folder; stdout/stderr as text."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (files or {}).items():
            Path(folder, name).write_text(text)
        Path(folder, "prog.py").write_text(source, encoding="utf-8")
        return subprocess.run(
            [sys.executable, "prog.py"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def run_like_a_build(source: str, *, files: dict[str, str] | None = None, timeout: float = 60) -> RunResult:
    """Run ``source`` through golfkit's runner, as a build runs a candidate."""
    modules = tuple((name, text.encode("utf-8")) for name, text in (files or {}).items())
    spec = RunSpec(source.encode("utf-8"), "prog.py", modules=modules)
    return run_program(spec, sys.executable, RunLimits(timeout=timeout, memory_limit_mb=None))


def assert_same_behaviour(before: str, after: str, **kwargs) -> None:
    """Both programs give the same stdout, stderr and exit status: the build's own verdict."""
    expected = run_like_a_build(before, **kwargs)
    actual = run_like_a_build(after, **kwargs)
    verdict = judge(actual, expected)
    assert verdict == "identical", (verdict, expected.stderr.decode(errors="replace"),
                                    actual.stderr.decode(errors="replace"))


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def check_rewrite(golf_pass: Pass, before: str, after: str | None, context: PassContext | None = None) -> str:
    """Before/after pair: the pass turns ``before`` into ``after`` (None: must be a no-op), and the
    two programs behave the same when run. Returns the pass's output."""
    before = dedent(before)
    output = golf_pass.run(before, context)
    expected = before if after is None else dedent(after)
    assert output == expected, f"\n--- got ---\n{output}\n--- expected ---\n{expected}"
    compile(output, "<after>", "exec")
    assert_same_behaviour(before, output)
    return output


def decline_reason(golf_pass: Pass, source: str, context: PassContext | None = None) -> str | None:
    """The reason the pass declines ``source`` as a whole, or None when it does not."""
    try:
        golf_pass.apply(source, context or PassContext(), Edits())
    except Skip as skip:
        return skip.reason
    return None


class PassTest:
    """Base class of a pass's before/after tests; subclasses set ``golf_pass``."""

    golf_pass: ClassVar[Pass]

    def assert_rewrite(self, before: str, after: str, context: PassContext | None = None,
                       files: dict[str, str] | None = None) -> str:
        before, after = dedent(before), dedent(after)
        output = self.golf_pass.run(before, context)
        assert output == after, f"\n--- got ---\n{output}\n--- expected ---\n{after}"
        compile(output, "<after>", "exec")
        assert_same_behaviour(before, output, files=files)
        return output

    def assert_noop(self, before: str, reason: str | None = None, context: PassContext | None = None) -> None:
        """The pass leaves ``before`` as it is; with ``reason``, it declines the whole text with a
        reason containing those words."""
        before = dedent(before)
        if reason is not None:
            declined = decline_reason(self.golf_pass, before, context)
            assert declined is not None and reason in declined, f"declined with {declined!r}, expected {reason!r}"
        output = self.golf_pass.run(before, context)
        assert output == before, f"\n--- changed into ---\n{output}"


class RunLabels(SilentListener):
    """A build listener that records the label of every run started, in order."""

    def __init__(self):
        self.labels: list[str] = []

    def run_started(self, label, total_lines):
        self.labels.append(label)
        return super().run_started(label, total_lines)
