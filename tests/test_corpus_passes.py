"""Every golf pass, and the whole pipeline, on every corpus program.

For each (program, pass) pair the pass's output must parse, be no longer in UTF-8 bytes, and behave
exactly like the original when run: same exit code, same stdout, nothing on stderr. A pass whose
module does not exist yet is skipped; any other import problem is a failure.

Safe passes run with the default context. Contract passes run here with the lines the original
program actually executed (traced once per program with golfkit's own block probes), which is the contract they are allowed to
rely on; in the whole-pipeline test they get ``executed_lines=None`` and so must do nothing unsafe.
"""

from __future__ import annotations

import functools
import importlib
import subprocess
import tempfile
from pathlib import Path

import pytest

from golfkit import trace
from golfkit.passes import PASS_NAMES, PIPELINE, Pass, PassContext, Safety, default_pipeline, load_pass
from tests.support import run_source

CORPUS = Path(__file__).parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*.py"))
MODULES = {name: f"golfkit.passes.{module}" for name, module, _ in PIPELINE}
GOLFED_TIMEOUT = 20  # seconds; every corpus program finishes in well under one



def pass_module_exists(name: str) -> bool:
    """False only while ``golfkit.passes.<module>`` itself is missing; other import errors raise."""
    module = MODULES[name]
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == module:
            return False
        raise
    return True


def require_pass(name: str):
    if not pass_module_exists(name):
        pytest.skip(f"{MODULES[name]} is not written yet")
    return load_pass(name)


@functools.lru_cache(maxsize=None)
def run_text(text: str) -> subprocess.CompletedProcess:
    """One run of a text, made once per test process. Corpus programs are deterministic
    (test_corpus_programs), so a pass that leaves a program as it is (most cells of the matrix)
    or gives a text another cell gave is judged on the run already made: every distinct text
    still runs."""
    return run_source(text, timeout=GOLFED_TIMEOUT)


def original_run(source: str) -> subprocess.CompletedProcess:
    """The reference behaviour, run once per program (per test process)."""
    result = run_text(source)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result


@functools.lru_cache(maxsize=None)
def executed_lines(source: str) -> frozenset[int]:
    """The lines one run executes, found with the block probes builds use (golfkit.trace)."""
    with tempfile.TemporaryDirectory() as folder:
        return trace.executed_lines(source, Path(folder), timeout=60)


@functools.lru_cache(maxsize=None)
def golfed(pass_type: type[Pass], source: str, lines: frozenset[int] | None) -> str:
    """One pass applied to one text; cached because the pipeline's first stage repeats a matrix cell."""
    return pass_type().run(source, PassContext(executed_lines=lines))


def assert_golfed_behaves(source: str, output: str, label: str) -> None:
    """``output`` parses, is no longer than ``source`` in UTF-8 bytes and prints the same."""
    assert isinstance(output, str), f"{label} returned {type(output).__name__}"
    compile(output, f"<{label}>", "exec")
    before, after = len(source.encode("utf-8")), len(output.encode("utf-8"))
    assert after <= before, f"{label} grew the program from {before} to {after} bytes"
    expected = original_run(source)
    actual = run_text(output)
    assert actual.returncode == expected.returncode, actual.stderr
    assert actual.stderr == expected.stderr
    assert actual.stdout == expected.stdout


# Program-major order (every pass on one program, then the next program): the passes on one
# program share its parse and metadata (golfkit.analysis.facts keeps the last few texts' facts).
@pytest.mark.parametrize("pass_name", PASS_NAMES)
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_pass_preserves_program(pass_name: str, program: Path):
    golf_pass = require_pass(pass_name)
    source = program.read_text(encoding="utf-8")
    lines = executed_lines(source) if golf_pass.safety is Safety.CONTRACT else None
    assert_golfed_behaves(source, golfed(type(golf_pass), source, lines), f"{pass_name} on {program.name}")


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_pipeline_preserves_program(program: Path):
    missing = [name for name in PASS_NAMES if not pass_module_exists(name)]
    if missing:
        pytest.skip(f"passes not written yet: {', '.join(missing)}")
    source = program.read_text(encoding="utf-8")
    current = source
    for golf_pass in default_pipeline():
        # Contract passes get no run facts here (executed_lines=None), so they must not prune.
        current = golfed(type(golf_pass), current, None)
        # Parse after every stage so a failure names the pass that broke the syntax.
        compile(current, f"<after {golf_pass.name} on {program.name}>", "exec")
    assert_golfed_behaves(source, current, f"pipeline on {program.name}")
