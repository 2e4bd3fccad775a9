"""Printing a mutant: the new text of the nodes an edit rebuilt, spliced into the text as it was.

libcst prints a tree by printing each node in turn, and a node prints the same wherever it stands
as long as the indentation around it is the same. So a mutant's text is the original text with the
span of each rebuilt node (its whole printed text, whitespace included) replaced by the rebuilt
node printed under the original's indentation. Printing a whole module for every candidate site
would cost most of what the search spends before any run.
"""

from __future__ import annotations

import libcst as cst

# libcst keeps its code generator state in a private module; analysis.printer subclasses it too.
from libcst._nodes.internal import CodegenState
from libcst.metadata import WhitespaceInclusivePositionProvider

from golfkit.analysis import ProgramFacts, code


def _text(facts: ProgramFacts) -> str:
    return facts.module.code


def source_text(facts: ProgramFacts) -> str:
    """The text of ``facts`` (``Module.code`` prints the whole tree at every call)."""
    return facts.derived(_text)


def _unpopped(facts: ProgramFacts) -> str:
    """The module's text before libcst drops its last newline for a file that has none."""
    return facts.module.with_changes(has_trailing_newline=True).code


def _dropped(facts: ProgramFacts) -> str:
    """The last newline libcst leaves out of a file that has none ("" when it has one)."""
    return facts.derived(_unpopped)[len(source_text(facts)):]


def _line_starts(text: str) -> list[int]:
    starts, offset = [0], 0
    for line in text.split("\n"):
        offset += len(line) + 1
        starts.append(offset)
    return starts


def _unpopped_starts(facts: ProgramFacts) -> list[int]:
    return _line_starts(facts.derived(_unpopped))


def _offsets(facts: ProgramFacts, position) -> tuple[int, int]:
    starts = facts.derived(_unpopped_starts)
    return (starts[position.start.line - 1] + position.start.column,
            starts[position.end.line - 1] + position.end.column)


def printed_span(facts: ProgramFacts, node: cst.CSTNode) -> tuple[int, int]:
    """The offsets of everything ``node`` prints (its whitespace and parentheses included)."""
    return _offsets(facts, facts.wrapper.resolve(WhitespaceInclusivePositionProvider)[node])


def span(facts: ProgramFacts, node: cst.CSTNode) -> tuple[int, int]:
    """The offsets of ``node``'s own text and its parentheses (no whitespace around them)."""
    start, end = _offsets(facts, facts.positions[node])
    start -= sum(len(code(paren)) for paren in getattr(node, "lpar", ()))
    end += sum(len(code(paren)) for paren in getattr(node, "rpar", ()))
    return start, end


def _indentation(facts: ProgramFacts, node: cst.CSTNode) -> list[str]:
    """The indentation ``node`` is printed under, outermost block first."""
    default = facts.module.default_indent
    blocks = [a for a in facts.ancestors(node) if isinstance(a, cst.IndentedBlock)]
    return [default if block.indent is None else block.indent for block in reversed(blocks)]


def printed_in_place(facts: ProgramFacts, original: cst.CSTNode, result) -> str:
    """What ``result`` (a node, several statements or a removal) prints where ``original`` stood."""
    if isinstance(result, cst.RemovalSentinel):
        return ""
    nodes = result.nodes if isinstance(result, cst.FlattenSentinel) else [result]
    module = facts.module
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    state.indent_tokens = _indentation(facts, original)
    for node in nodes:
        node._codegen(state)
    return "".join(state.tokens)


def spliced(facts: ProgramFacts, results: dict) -> str:
    """The text with each original node of ``results`` (none inside another) replaced by what its
    result prints in its place."""
    module = facts.module
    if module in results:
        return results[module].code
    full = facts.derived(_unpopped)
    edits = sorted(((*printed_span(facts, node), printed_in_place(facts, node, result))
                    for node, result in results.items()), key=lambda edit: edit[0], reverse=True)
    text = full
    for start, end, printed in edits:
        text = text[:start] + printed + text[end:]
    dropped = facts.derived(_dropped)
    if dropped and text.endswith(dropped):
        text = text[: -len(dropped)]
    return text
