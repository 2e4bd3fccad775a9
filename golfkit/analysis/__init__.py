"""Shared program analysis for the passes (being assembled: facts, observers, order, purity,
values, spelling)."""

from __future__ import annotations

import functools

import libcst as cst


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


@functools.lru_cache(maxsize=16)
def facts_for(source: str):
    """The facts of ``source`` (None when it does not parse), computed once per distinct text."""
    from golfkit.passes._effects import program_facts

    return program_facts(source)
