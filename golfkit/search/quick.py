"""The search's quick oracle: a mutant runs with its run-scaling constants lowered and its log is
compared with the reference's under the same override (the few-step parity check golfers of small
GPTs use), before any full run.

The override names module-level constants of the *source* (``num_steps = 1000`` -> 30), but the
golfed text has usually inlined or renamed them. So the oracle lowers them by value: every numeric
literal of the golfed text equal to a constant's original value takes the override's value. That
is right when the constant survives as literals, wrong when its value was folded into others or a
literal of the same value means something else; so the oracle first checks the text the search
starts from: only if that text, lowered, reproduces the reference's log under the override is the
oracle used for its mutants (``usable``). A quick verdict only ever rejects: what it approves still
needs a full run.
"""

from __future__ import annotations

import ast
from typing import Callable, Hashable

import libcst as cst

from golfkit.verify import Verdict

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
    """``oracle(mutants) -> [approved...]``: each mutant, lowered, run against the reference under
    the override; ``submit``/``result`` verify against that reference (the build passes a
    verification pool whose reference is the overridden program's run)."""

    def __init__(self, source: str, overrides: tuple[tuple[str, str], ...],
                 submit: Callable[[str, str], Hashable], result: Callable[[Hashable], Verdict]):
        self.submit = submit
        self.result = result
        values = original_values(source, [name for name, _ in overrides])
        self.replacements: list[tuple[Number, Number]] = []
        self.note = None
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
        self._usable: dict[str, bool] = {}

    def usable(self, text: str) -> bool:
        """Whether ``text`` itself, lowered, reproduces the reference under the override."""
        if not self.replacements:
            return False
        if text not in self._usable:
            prepared = lowered(text, self.replacements)
            self._usable[text] = prepared is not None and self.result(self.submit(prepared, "quick check")).identical
            if not self._usable[text]:
                self.note = "lowering the constants by value does not reproduce the quick reference on this text"
        return self._usable[text]

    def __call__(self, mutants: list[str]) -> list[bool]:
        """The quick verdicts, the runs queued side by side; a mutant that cannot be lowered (its
        literal is gone) is left to the full run."""
        queued = []
        for mutant in mutants:
            prepared = lowered(mutant, self.replacements) if self.replacements else None
            queued.append(None if prepared is None else self.submit(prepared, "search (quick)"))
        return [True if key is None else self.result(key).identical for key in queued]
