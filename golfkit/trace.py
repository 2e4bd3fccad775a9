"""Which lines of a program one run executes: the run facts behind contract pruning.

The program is instrumented rather than traced: every block that may not run (a function body,
each arm of an if, a loop body, a handler...) gets a probe as its first statement, a store into a
byte array that the runner puts in ``builtins`` and writes out at exit; each ``if``/``elif`` test
gets one too (``if P.__setitem__(k, 1) or (test):``), since pruning asks whether a test was ever
evaluated. A line counts as executed
when a block owning it ran: the module body and class bodies always run with their enclosing
block; a compound statement's header lines belong to the block holding the statement.

- The result is an *over-approximation* at block granularity: a statement after one that raised
  or returned, in a block that ran, still counts as executed. That is the safe direction for
  pruning (it keeps more), and the set is exact where pruning looks: whether a body ever ran.
- A probe costs one store per block entry, so the run keeps nearly its plain speed (a line tracer
  before Python 3.12 pays a trace call on every frame, which doubles the time of a call-heavy
  program like microgpt).
- Probes add lines, so line numbers inside the instrumented program differ from the source's; a
  program whose output shows them (tracebacks, warnings, inspect) gives a different log under
  instrumentation, and the build then prunes nothing rather than trust it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from golfkit.analysis import facts_for
from golfkit.errors import ExitCode, GolfkitError, RunTimeout

PROBE = "__golfkit_probe__"
FORMAT = 1  # part of the cache key of traced runs: bump when what a probe records changes

RUNNER = r'''
import atexit, builtins, json, os, runpy, sys

program, output, count = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# The program sees the argv of a plain run: its file name as given, then its own arguments.
sys.argv = [sys.argv[1], *sys.argv[4:]]
sys.path[0] = os.path.dirname(program)
hits = bytearray(count)
setattr(builtins, "__golfkit_probe__", hits)


def write():
    with open(output, "w") as handle:
        json.dump([block for block, hit in enumerate(hits) if hit], handle)


# Registered first, so it runs last: after the program's own exit handlers.
atexit.register(write)
runpy.run_path(program, run_name="__main__")
'''


class TraceError(GolfkitError):
    exit_code = ExitCode.REFERENCE


@dataclass(frozen=True)
class Instrumented:
    """The probed program and, per probe, the source lines it stands for (block 0: the module)."""

    source: str
    owned: tuple[frozenset[int], ...]

    @property
    def probes(self) -> int:
        return len(self.owned)

    def lines(self, hit_blocks) -> frozenset[int]:
        lines = set(self.owned[0])
        for block in hit_blocks:
            if 0 <= block < len(self.owned):
                lines |= self.owned[block]
        return frozenset(lines)


def instrument(source: str) -> Instrumented:
    """``source`` with a probe at the start of every block that may not run."""
    facts = facts_for(source)  # the same text's facts the first passes and the input check read
    if facts is None:
        raise ValueError("the program does not parse")
    blocks = _BlockFinder(facts.positions, facts.children)
    module = facts.module
    blocks.own(0, module.body)
    probed = module.visit(_Prober(blocks.ids))
    return Instrumented(probed.code, tuple(frozenset(lines) for lines in blocks.owned))


def _suites(node: cst.CSTNode, children):
    """The suites (bodies) directly inside a statement, through if/elif/else, handlers etc.
    ``children`` gives a node's children (``ProgramFacts.children``)."""
    for child in children(node):
        if isinstance(child, cst.BaseSuite):
            yield child
        else:
            yield from _suites(child, children)


class _BlockFinder:
    def __init__(self, positions, children):
        self.positions = positions
        self.children = children
        self.ids: dict[cst.CSTNode, int] = {}  # a suite, or an If whose test is probed
        self.owned: list[set[int]] = [set()]

    def span(self, node: cst.CSTNode) -> set[int]:
        position = self.positions[node]
        return set(range(position.start.line, position.end.line + 1))

    def own(self, block: int, statements) -> None:
        for statement in statements:
            self.owned[block] |= self.statement_lines(statement, block)

    def statement_lines(self, statement: cst.CSTNode, block: int) -> set[int]:
        """Lines of ``statement`` owned by ``block``; its bodies become blocks of their own,
        except a class body, which runs with the class statement."""
        lines = self.span(statement)
        arm = statement
        while isinstance(arm, cst.If):  # each test of an if/elif chain: a probe of its own
            self.ids[arm] = test = len(self.owned)
            self.owned.append(self.span(arm.test))
            lines -= self.owned[test]
            arm = arm.orelse
        for suite in _suites(statement, self.children):
            if isinstance(suite, cst.IndentedBlock):
                first, last = self.positions[suite.body[0]], self.positions[suite.body[-1]]
                lines -= set(range(first.start.line, last.end.line + 1))
            if isinstance(statement, cst.ClassDef):
                self.own(block, suite.body)
                continue
            self.ids[suite] = inner = len(self.owned)
            self.owned.append(set())
            if isinstance(suite, cst.SimpleStatementSuite):  # shares its header's line
                self.owned[inner] |= self.span(suite)
            else:
                self.own(inner, suite.body)
        return lines


def _probe(block: int) -> cst.Assign:
    return cst.Assign(
        targets=[cst.AssignTarget(cst.Subscript(cst.Name(PROBE), [cst.SubscriptElement(cst.Index(cst.Integer(str(block))))]))],
        value=cst.Integer("1"),
    )


def _with_probe(body, probe) -> list:
    """``body`` (statements, or the small statements of a one-line suite) with ``probe`` first,
    or second after a leading string: a docstring stays the docstring."""
    first = body[0].body[0] if isinstance(body[0], cst.SimpleStatementLine) else body[0]
    leading_string = isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString))
    at = 1 if leading_string else 0
    return [*body[:at], probe, *body[at:]]


class _Prober(cst.CSTTransformer):
    def __init__(self, ids: dict[cst.CSTNode, int]):
        super().__init__()
        self.ids = ids

    def leave_If(self, original: cst.If, updated: cst.If):
        """``if t:`` -> ``if P.__setitem__(k, 1) or (t):`` (None or x is x: the same test)."""
        block = self.ids.get(original)
        if block is None:
            return updated
        mark = cst.Call(
            cst.Attribute(cst.Name(PROBE), cst.Name("__setitem__")),
            [cst.Arg(cst.Integer(str(block))), cst.Arg(cst.Integer("1"))],
        )
        test = updated.test.with_changes(lpar=[cst.LeftParen(), *updated.test.lpar],
                                         rpar=[*updated.test.rpar, cst.RightParen()])
        return updated.with_changes(test=cst.BooleanOperation(mark, cst.Or(), test),
                                    whitespace_before_test=cst.SimpleWhitespace(" "))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock):
        block = self.ids.get(original)
        if block is None:
            return updated
        return updated.with_changes(body=_with_probe(updated.body, cst.SimpleStatementLine([_probe(block)])))

    def leave_SimpleStatementSuite(self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite):
        block = self.ids.get(original)
        if block is None:
            return updated
        return updated.with_changes(body=_with_probe(updated.body, _probe(block)))


def executed_lines(
    source: str,
    workdir: Path,
    python: str = sys.executable,
    timeout: float | None = None,
) -> frozenset[int]:
    """1-based line numbers of ``source`` executed by one run of it as ``python prog.py`` with
    ``workdir`` as the current folder. Raises TraceError if the run fails, RunTimeout if slow."""
    probed = instrument(source)
    with tempfile.TemporaryDirectory(prefix="golfkit-trace-") as scratch:
        folder = Path(scratch)
        program = (folder / "prog.py").resolve()
        program.write_text(probed.source, encoding="utf-8")
        runner = folder / "trace_runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        output = folder / "blocks.json"
        command = [python, str(runner), str(program), str(output), str(probed.probes)]
        try:
            run = subprocess.run(
                command,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise RunTimeout(f"tracing the program took longer than {timeout:g} s; raise --timeout")
        if run.returncode != 0 or not output.exists():
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            raise TraceError(f"the traced run failed (exit {run.returncode}):\n{tail}")
        return probed.lines(json.loads(output.read_text()))
