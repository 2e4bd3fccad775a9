"""What every pass of the pipeline owes the template, checked generically over the whole pipeline.

- it declares itself: name, one-line description, safety class and statement, an example whose
  rewrite holds and behaves the same;
- site numbering is stable: the sites and their keys do not depend on which sites are enabled;
- applying a pass to its own output changes nothing, or keeps shrinking the text;
- unparsable input gives the pass's clean decline (``Skip``), never another exception.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from golfkit import trace
from golfkit.passes import PASS_NAMES, load_pass
from golfkit.passes.base import Edits, PassContext, Safety, Skip
from tests.support import assert_same_behaviour

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
# Small programs of different kinds, and the flagship reference (read, never run here).
PROGRAMS = [CORPUS / "micrograd_tiny.py", CORPUS / "many_names_units.py", CORPUS / "stack_machine.py",
            CORPUS / "exceptions_flow.py", ROOT / "reference" / "microgpt.py"]
UNPARSABLE = ["def f(:\n    pass\n", "x = = 1\n", "print('a'\n", "if x\n  y\n"]


@functools.lru_cache(maxsize=None)
def context_for(pass_name: str, program: Path) -> PassContext:
    """Contract passes get the lines a run executed (corpus programs) or, for the reference, which
    is not run here, every other line: either way they find sites to number."""
    if load_pass(pass_name).safety is not Safety.CONTRACT:
        return PassContext()
    source = program.read_text("utf-8")
    if program.parent == CORPUS:
        with tempfile.TemporaryDirectory() as folder:
            return PassContext(executed_lines=trace.executed_lines(source, Path(folder), timeout=60))
    return PassContext(executed_lines=frozenset(range(1, source.count("\n") + 2, 2)))


def keys_and_output(pass_name: str, source: str, context: PassContext, allowed=None) -> tuple[list[str], str]:
    edits = Edits(allowed)
    try:
        output = load_pass(pass_name).apply(source, context, edits)
    except Skip:
        output = source
    return edits.keys, output


@pytest.mark.parametrize("pass_name", PASS_NAMES)
def test_pass_declares_itself(pass_name):
    golf_pass = load_pass(pass_name)
    assert golf_pass.name == pass_name
    assert golf_pass.description and "\n" not in golf_pass.description
    assert isinstance(golf_pass.safety, Safety)
    assert len(golf_pass.safety_statement) > 40


@pytest.mark.parametrize("pass_name", PASS_NAMES)
def test_example_holds_and_behaves_the_same(pass_name):
    golf_pass = load_pass(pass_name)
    assert golf_pass.example is not None, f"{pass_name} has no example for `golfkit passes {pass_name}`"
    before, after = golf_pass.example
    context = PassContext()
    if golf_pass.safety is Safety.CONTRACT:
        with tempfile.TemporaryDirectory() as folder:
            context = PassContext(executed_lines=trace.executed_lines(before, Path(folder), timeout=60))
    assert golf_pass.run(before, context) == after
    assert_same_behaviour(before, after)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
@pytest.mark.parametrize("pass_name", PASS_NAMES)
def test_site_numbering_is_stable(pass_name, program):
    source = program.read_text("utf-8")
    context = context_for(pass_name, program)
    keys, _ = keys_and_output(pass_name, source, context)
    assert keys_and_output(pass_name, source, context, allowed=set())[0] == keys
    if keys:
        assert keys_and_output(pass_name, source, context, allowed={len(keys) - 1})[0] == keys
        assert keys_and_output(pass_name, source, context, allowed=set(range(0, len(keys), 2)))[0] == keys


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
@pytest.mark.parametrize("pass_name", PASS_NAMES)
def test_reapplying_changes_nothing_or_keeps_shrinking(pass_name, program):
    source = program.read_text("utf-8")
    golf_pass = load_pass(pass_name)
    context = context_for(pass_name, program)
    if golf_pass.safety is Safety.CONTRACT:
        context = PassContext()  # the trace belongs to the original text's lines only
    once = golf_pass.run(source, context)
    twice = golf_pass.run(once, context)
    assert twice == once or len(twice) < len(once)


@pytest.mark.parametrize("text", UNPARSABLE)
@pytest.mark.parametrize("pass_name", PASS_NAMES)
def test_unparsable_input_is_declined_cleanly(pass_name, text):
    context = PassContext(executed_lines=frozenset({1, 2}))
    with pytest.raises(Skip):
        load_pass(pass_name).apply(text, context, Edits())
    assert load_pass(pass_name).run(text, context) == text
