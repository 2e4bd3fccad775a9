"""``--set NAME=VALUE``: replace the value of a module-level constant before the pipeline runs."""

from __future__ import annotations

import libcst as cst

from golfkit.errors import UsageError


def parse_assignment(text: str, flag: str = "--set") -> tuple[str, str]:
    name, separator, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not separator or not name.isidentifier() or not value:
        raise UsageError(f"{flag} {text!r}: expected NAME=VALUE, e.g. {flag} num_steps=30")
    try:
        cst.parse_expression(value)
    except cst.ParserSyntaxError:
        raise UsageError(f"{flag} {text!r}: {value!r} is not a Python expression") from None
    return name, value


class _ConstantOverride(cst.CSTTransformer):
    def __init__(self, name: str, value: str):
        self.name = name
        self.value = cst.parse_expression(value)
        self.replaced = 0
        self.depth = 0

    # Only module-level statements: constants inside functions or classes are not settings.
    def visit_FunctionDef(self, node):
        self.depth += 1

    def leave_FunctionDef(self, original, updated):
        self.depth -= 1
        return updated

    def visit_ClassDef(self, node):
        self.depth += 1

    def leave_ClassDef(self, original, updated):
        self.depth -= 1
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign):
        if self.depth == 0 and len(updated.targets) == 1:
            target = updated.targets[0].target
            if isinstance(target, cst.Name) and target.value == self.name:
                self.replaced += 1
                return updated.with_changes(value=self.value)
        return updated

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign):
        if self.depth == 0 and isinstance(updated.target, cst.Name) and updated.target.value == self.name and updated.value:
            self.replaced += 1
            return updated.with_changes(value=self.value)
        return updated


def apply_overrides(source: str, overrides: tuple[tuple[str, str], ...]) -> str:
    if not overrides:
        return source
    module = cst.parse_module(source)
    for name, value in overrides:
        transformer = _ConstantOverride(name, value)
        module = module.visit(transformer)
        if transformer.replaced == 0:
            raise UsageError(f"--set {name}={value}: the source has no module-level assignment to {name!r}")
    return module.code
