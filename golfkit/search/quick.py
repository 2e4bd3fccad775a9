"""The search's quick oracle: a mutant runs with its run-scaling constants lowered, and its log is
compared with the log of the text the search is on, lowered the same way (the few-step parity
check golfers of small GPTs use), before any full run.

The constants are named as module-level assignments of the *source* (``num_steps = 1000`` -> 30),
but the golfed text has usually inlined or renamed them. So the oracle lowers them by value: every
numeric literal of the golfed text equal to a constant's original value takes the override's
value. Its baseline is the current text lowered that way, not the source under the override: the
current text is verified at full length, so a mutant whose lowered run matches the lowered
current text's behaves the same on the short run, whatever else the lowering touched (a count
also printed as text, a literal of the same value meaning something else). The oracle is used on
a text only when lowering changes it and the lowered text runs to the end as the program does,
in well under the full run's time (``usable``). A quick verdict only ever rejects: what it approves
still needs a full run.
"""

from __future__ import annotations

import ast
from typing import Callable

import libcst as cst

from golfkit.search.stage import Oracle

Number = int | float


def original_values(source: str, names: list[str]) -> dict[str, Number] | None:
    """The numeric value each of ``names`` is first assigned at module level in ``source``; None
    when one is missing or not a number."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    values: dict[str, Number] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if (isinstance(target, ast.Name) and target.id in names and target.id not in values
                and isinstance(value, ast.Constant) and type(value.value) in (int, float)):
            values[target.id] = value.value
    return values if set(values) == set(names) else None


class _Lower(cst.CSTTransformer):
    def __init__(self, replacements: list[tuple[Number, Number]]):
        super().__init__()
        self.replacements = replacements
        self.count = 0

    def _lowered(self, node, value: Number, is_float: bool):
        for old, new in self.replacements:
            if value == old:
                self.count += 1
                spelling = repr(float(new)) if is_float else str(int(new))
                return node.with_changes(value=spelling)
        return node

    def leave_Integer(self, original_node: cst.Integer, updated_node: cst.Integer) -> cst.Integer:
        return self._lowered(updated_node, original_node.evaluated_value, False)

    def leave_Float(self, original_node: cst.Float, updated_node: cst.Float) -> cst.Float:
        return self._lowered(updated_node, original_node.evaluated_value, True)


def lowered(text: str, replacements: list[tuple[Number, Number]]) -> str | None:
    """``text`` with every numeric literal equal to an original value spelled as its override;
    None when the text does not parse or holds no such literal."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None
    lower = _Lower(replacements)
    result = module.visit(lower)
    return result.code if lower.count else None


class QuickOracle:
    """``oracle(mutants) -> [approved...]`` for mutants of the text last found ``usable``: each
    mutant, lowered, against that text lowered. ``judge_for(lowered_text)`` gives a judge whose
    baseline is that text's run, or None with the reason when it cannot be one."""

    def __init__(self, source: str, overrides: tuple[tuple[str, str], ...],
                 judge_for: Callable[[str], tuple[Oracle | None, str]]):
        self.judge_for = judge_for
        self.current: tuple[str, Oracle] | None = None
        self.replacements: list[tuple[Number, Number]] = []
        self.note = None
        values = original_values(source, [name for name, _ in overrides])
        if values is None:
            self.note = "the quick oracle's constants are not numbers assigned at module level"
            return
        for name, spelled in overrides:
            try:
                new = ast.literal_eval(spelled)
            except (ValueError, SyntaxError):
                new = None
            if type(new) not in (int, float):
                self.note = f"the quick oracle's {name} = {spelled} is not a number"
                self.replacements = []
                return
            self.replacements.append((values[name], new))

    def usable(self, text: str) -> bool:
        """Whether mutants of ``text`` can be judged quickly; makes ``text`` the baseline."""
        if not self.replacements:
            return False
        if self.current is not None and self.current[0] == text:
            return True
        self.close()
        prepared = lowered(text, self.replacements)
        if prepared is None:
            self.note = "no literal of the constants' values is left in the text"
            return False
        judge, why = self.judge_for(prepared)
        if judge is None:
            self.note = why
            return False
        self.current = (text, judge)
        return True

    def __call__(self, mutants: list[str]) -> list[bool]:
        """The quick verdicts, the runs queued side by side; a mutant that cannot be lowered (its
        literal is gone) is left to the full run."""
        judge = self.current[1]
        queued = []
        for mutant in mutants:
            prepared = lowered(mutant, self.replacements)
            queued.append(None if prepared is None else judge.submit(prepared, "search (quick)"))
        return [True if key is None else judge.result(key).identical for key in queued]

    def close(self) -> None:
        """Let go of the current baseline's judge (a pool stops its runs)."""
        if self.current is not None and hasattr(self.current[1], "shutdown"):
            self.current[1].shutdown(cancel_all=True)
        self.current = None
