"""The read-only walk visits exactly what libcst's own ``visit`` visits, in the same order."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from golfkit.analysis import facts_for
from golfkit.analysis.children import child_nodes, libcst_children, visit_read_only

ROOT = Path(__file__).resolve().parent.parent

# Syntax the corpus may lack: every statement and expression form libcst knows for 3.11.
EVERY_FORM = '''
"""doc"""
from __future__ import annotations
import os.path as p, sys
from . import x as y
from a.b import (c, d as e,)
@decorator(1)
@other.attr
async def f(a, /, b: int = 1, *args, c, d=2, **kw) -> "T":
    global g
    async with open(a) as h, open(b):
        pass
    async for i in aiter():
        await i
    r = [j async for j in k if j]
    return (yield from x) if a else lambda q, *r, s=1, **t: q
class C(Base, metaclass=M):
    x: int = 1
    y: list[int]
    def m(self): nonlocal_ = 1; del self.x, y[0]
try:
    raise E from F
except (A, B) as err:
    pass
else:
    assert x, "msg"
finally:
    ...
try:
    pass
except* C:
    pass
while (n := n - 1) > 0 or not done:
    if a: break
    elif b: continue
    else: pass
else:
    pass
for a, *b in {1: 2, **d}.items(): print(f"{a!r:>{w}} {b=}", end="")
match command:
    case [1, 2, *rest] if rest: pass
    case {"k": v, **kw}: pass
    case Point(x=0, y=_) | None: pass
    case str() as s: pass
    case _: pass
z = {*s, 1}, (1,), [], (), x[1:2, ::3], a @ b, ~a ** -b, a if b else c, 1j, 0x1F, 1_000.5e-3
w = b'raw' rb'x' if x in y and x is not None else u'u' 'implicit'
with (open(a) as b, open(c) as d):
    x += 1; x <<= 2; x //= 3
print(*a, **k, sep="")
'''


class _Recorder(cst.CSTVisitor):
    """Every visit and leave, in order."""

    def __init__(self):
        self.seen: list[tuple[str, int]] = []

    def on_visit(self, node):
        self.seen.append(("visit", id(node)))
        return True

    def on_leave(self, node):
        self.seen.append(("leave", id(node)))


def libcst_order(module: cst.Module) -> list:
    recorder = _Recorder()
    module.visit(recorder)
    return recorder.seen


def read_only_order(module: cst.Module) -> list:
    recorder = _Recorder()
    visit_read_only(module, recorder)
    return recorder.seen


def programs() -> list[Path]:
    return sorted([*(ROOT / "tests" / "corpus").glob("*.py"), *(ROOT / "tests" / "programs").rglob("*.py"),
                   *(ROOT / "golfkit").rglob("*.py"), ROOT / "reference" / "microgpt.py"])


@pytest.mark.parametrize("text", [EVERY_FORM], ids=["every-form"])
def test_every_form_is_visited_as_libcst_visits_it(text):
    module = cst.parse_module(text)
    assert read_only_order(module) == libcst_order(module)


def test_corpus_and_golfkit_sources_are_visited_as_libcst_visits_them():
    checked = 0
    for path in programs():
        try:
            module = cst.parse_module(path.read_text("utf-8"))
        except cst.ParserSyntaxError:
            continue
        assert read_only_order(module) == libcst_order(module), path.name
        checked += 1
    assert checked > 50


def test_a_child_shared_by_two_fields_is_asked_of_libcst():
    shared = cst.SimpleWhitespace(" ")
    node = cst.BinaryOperation(cst.Name("a"), cst.Add(whitespace_before=shared, whitespace_after=shared), cst.Name("b"))
    assert child_nodes(node.operator) == libcst_children(node.operator) == [shared, shared]


class _Tree(cst.CSTVisitor):
    """libcst's own walk: every node in visiting order, with its parent."""

    def __init__(self):
        self.nodes: list[cst.CSTNode] = []
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.path: list[cst.CSTNode] = []

    def on_visit(self, node):
        self.nodes.append(node)
        if self.path:
            self.parents[node] = self.path[-1]
        self.path.append(node)
        return True

    def on_leave(self, node):
        self.path.pop()


@pytest.mark.parametrize("name", ["every-form", "microgpt", "corpus"])
def test_the_census_ranks_parents_and_children_follow_libcst(name):
    if name == "every-form":
        texts = [EVERY_FORM]
    elif name == "microgpt":
        texts = [(ROOT / "reference" / "microgpt.py").read_text("utf-8")]
    else:
        texts = [path.read_text("utf-8") for path in sorted((ROOT / "tests" / "corpus").glob("*.py"))]
    for text in texts:
        facts = facts_for(text)
        tree = _Tree()
        facts.module.visit(tree)
        assert [facts.rank(node) for node in tree.nodes] == list(range(len(tree.nodes)))
        assert facts.parents == tree.parents
        for node in tree.nodes:
            assert facts.children(node) == [child for child in libcst_children(node)]
