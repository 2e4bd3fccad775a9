"""Shared test helpers: run programs in a scratch folder and compare their output (terser-style)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from golfkit.passes.base import Pass, PassContext


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


def assert_same_behaviour(before: str, after: str, **kwargs) -> None:
    """Both programs exit the same way and print the same stdout."""
    expected = run_source(before, **kwargs)
    actual = run_source(after, **kwargs)
    assert expected.returncode == actual.returncode, (expected.stderr, actual.stderr)
    assert expected.stdout == actual.stdout


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
