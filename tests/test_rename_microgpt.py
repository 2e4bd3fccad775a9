"""The flagship input: reference/microgpt.py renamed, run for 3 training steps, prints the same."""

from functools import cache
from pathlib import Path

import pytest

from golfkit.passes.builtin_alias import BuiltinAliasPass
from golfkit.passes.rename import RenamePass
from tests.test_rename_property import assert_same_shape
from tests.test_trace import microgpt_stdout, run_microgpt

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference" / "microgpt.py"
DATASET = Path("/work/shared/input.txt")


@cache
def renamed_reference() -> str:
    return RenamePass().run(REFERENCE.read_text(encoding="utf-8"))


def short_run_source() -> str:
    source = REFERENCE.read_text(encoding="utf-8")
    assert "num_steps = 1000" in source
    return source.replace("num_steps = 1000", "num_steps = 3")


@pytest.mark.skipif(not DATASET.is_file(), reason="needs the names dataset")
def test_renamed_microgpt_prints_the_same():
    source = short_run_source()
    renamed = RenamePass().run(source)
    aliased = BuiltinAliasPass().run(renamed)
    print(f"\nmicrogpt bytes: {len(source.encode())} -> rename {len(renamed.encode())} -> builtin-alias {len(aliased.encode())}")
    # The original's run is the one the pass tests share (made once, cached by text); only the
    # renamed program runs here.
    expected = microgpt_stdout(source)
    after = run_microgpt(aliased)
    assert after.returncode == 0, after.stderr
    assert after.stdout == expected
    assert "step    3 /    3" in expected


def test_microgpt_big_wins():
    renamed = renamed_reference()
    # The Value class's attributes and methods, and the globals, become single letters.
    for long_name in ("self.data", ".grad", ".children", ".local_grads", ".backward()", ".relu()", "embedding_size"):
        assert long_name not in renamed
    assert "__slots__ = (\"data\"" not in renamed
    assert "math.log" not in renamed and ".log(" in renamed  # the module keeps its attribute names
    assert len(renamed) < 0.7 * len(REFERENCE.read_text(encoding="utf-8"))


def test_microgpt_keeps_every_lookup():
    assert_same_shape(REFERENCE.read_text(encoding="utf-8"), renamed_reference())
