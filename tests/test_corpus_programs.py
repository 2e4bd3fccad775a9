"""Sanity for the golf corpus itself: every program is a fair, deterministic test subject.

A corpus program is only useful as a golf target if its output is fixed: it must run cleanly, print
enough to notice a change, stay quiet on stderr and print the same bytes whatever the string-hash
seed is (PYTHONHASHSEED varies between the original run and the golfed run).
"""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest

from tests.support import run_source

CORPUS = Path(__file__).parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*.py"))
HASH_SEEDS = ("0", "12345")


def test_corpus_is_big_enough():
    assert len(PROGRAMS) >= 30, [p.name for p in PROGRAMS]


def test_readme_lists_every_program():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^- `([\w.]+\.py)`", readme, flags=re.MULTILINE))
    assert listed == {p.name for p in PROGRAMS}


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_shape(program: Path):
    source = program.read_text(encoding="utf-8")
    lines = source.splitlines()
    assert 20 <= len(lines) <= 120, f"{len(lines)} lines"
    # A one-line module docstring comes first and says what the program exercises.
    assert re.fullmatch(r'"""\S.*"""', lines[0]), lines[0]
    tree = ast.parse(source)
    assert ast.get_docstring(tree)
    # Randomness is allowed only when seeded; the clock is never read.
    if re.search(r"^\s*(import random|from random import)", source, flags=re.MULTILINE):
        assert "random.seed(" in source
    assert not re.search(r"^\s*(import|from) (time|datetime)\b", source, flags=re.MULTILINE)
    assert "input(" not in source


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_runs_deterministically(program: Path, monkeypatch):
    source = program.read_text(encoding="utf-8")
    results = []
    for seed in HASH_SEEDS:
        # run_source's child process inherits the environment, hash seed included.
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        started = time.perf_counter()
        result = run_source(source, timeout=30)
        elapsed = time.perf_counter() - started
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert len(result.stdout.splitlines()) >= 5, result.stdout
        # Well under a second on a quiet machine; the slack absorbs a loaded CI runner.
        assert elapsed < 3, f"{elapsed:.2f}s"
        results.append(result.stdout)
    assert results[0] == results[1], f"output depends on PYTHONHASHSEED ({', '.join(HASH_SEEDS)})"
