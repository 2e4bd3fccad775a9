"""The compact printer: a libcst tree printed in the fewest characters it can be read back from.

It drives libcst's own code generator and decides only what goes *between* the tokens it emits:
whitespace, comments and blank lines are dropped, indentation becomes one space per level, and a
single space is put back wherever two tokens would otherwise fuse (``return x``, ``1 if``,
``in b''``). String literals, f-string text and self-documenting ``{x = }`` fields are emitted
verbatim, since every character of them is part of the program's behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

# libcst keeps its code generator state in a private module; the printer below subclasses it (the
# API has been stable since libcst 0.3: add_token / add_indent_tokens / before_ and after_codegen).
from libcst._nodes.internal import CodegenState

from golfkit.analysis.syntax import FlattenBlocks


_STRINGISH = (cst.SimpleString, cst.FormattedStringText, cst.FormattedString)
_DROPPED = (cst.EmptyLine, cst.ParenthesizedWhitespace, cst.Comment)
# Operator characters that would fuse into another operator if written side by side.
_FUSING = frozenset(
    {"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "+=", "-=", "*=", "/=", "%=",
     "&=", "|=", "^=", "@=", "<>", ".."}
)
_STRING_PREFIXES = frozenset({"r", "u", "b", "f", "br", "rb", "fr", "rf"})


def _wordy(char: str) -> bool:
    return ("a" + char).isidentifier()


def _is_number(token: str) -> bool:
    return token[0].isdigit() or (token[0] == "." and token[1:2].isdigit())


@dataclass
class _CompactState(CodegenState):
    stack: list = field(default_factory=list)
    last: str = ""
    last_owner: cst.CSTNode | None = None
    # How many nodes on the stack are dropped (comments, blank lines) or ``{x = }`` fields:
    # counted on the way in and out, so no token scans the stack.
    dropped: int = 0
    verbatim: int = 0

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append(node)
        if isinstance(node, _DROPPED):
            self.dropped += 1
        elif isinstance(node, cst.FormattedStringExpression) and node.equal is not None:
            self.verbatim += 1

    def after_codegen(self, node: cst.CSTNode) -> None:
        self.stack.pop()
        if isinstance(node, _DROPPED):
            self.dropped -= 1
        elif isinstance(node, cst.FormattedStringExpression) and node.equal is not None:
            self.verbatim -= 1

    def add_indent_tokens(self) -> None:
        if self.verbatim:  # inside ``{x = }`` every character is part of the printed text
            super().add_indent_tokens()
        elif not self.dropped:
            self._emit(" " * len(self.indent_tokens), None)

    def add_token(self, value: str) -> None:
        owner = self.stack[-1] if self.stack else None
        if self.verbatim:
            self._emit(value, owner)
            return
        if self.dropped:
            return
        if isinstance(owner, cst.SimpleWhitespace):
            return
        if isinstance(owner, cst.Newline):
            value = "\n"
        elif not isinstance(owner, _STRINGISH):
            value = value.strip(" \t")  # libcst's default separators such as ", " and " = "
        if not value:
            return
        if self._needs_space(value, owner):
            self._emit(" ", None)
        self._emit(value, owner)

    def _emit(self, value: str, owner: cst.CSTNode | None) -> None:
        if value:
            self.tokens.append(value)
            self.last, self.last_owner = value, owner

    def _needs_space(self, value: str, owner: cst.CSTNode | None) -> bool:
        last = self.last
        if not last or last[-1] in " \n":
            return False
        # Inside an f-string's literal part nothing may be inserted, not even before its end quote.
        if isinstance(owner, cst.FormattedStringText) or isinstance(self.last_owner, cst.FormattedStringText):
            return False
        if isinstance(owner, cst.FormattedString) and value == owner.end:
            return False
        if _wordy(last[-1]) and _wordy(value[0]):
            return True
        if _is_number(last) and (_wordy(value[0]) or value[0] == "."):
            return True  # ``1if`` warns in 3.11 and ``0x1for`` misparses; ``1.real`` is a float
        if _wordy(last[-1]) and _is_number(value):
            return True  # ``else.5`` is Python, but libcst (which the next pass parses with) refuses it
        if value[0] in "'\"" and last.lower() in _STRING_PREFIXES:
            return True
        if last[-1] + value[0] in _FUSING:
            return True
        # A set or dict right inside an f-string field: ``{ {`` and ``} }`` are not brace escapes.
        field_brace = isinstance(self.last_owner, cst.FormattedStringExpression)
        if last == "{" and value[0] == "{" and field_brace:
            return True
        if last[-1] == "}" and value == "}" and isinstance(owner, cst.FormattedStringExpression):
            return not field_brace
        return False


def compact_code(module: cst.Module, trailing_newline: bool = True) -> str:
    """``module`` printed without comments, blank lines or optional whitespace."""
    state = _CompactState(default_indent=" ", default_newline="\n")
    module.with_changes(has_trailing_newline=trailing_newline)._codegen(state)
    return "".join(state.tokens)


def compact_length(statement: cst.BaseStatement) -> int:
    """The length of ``statement`` once flattened and printed compactly."""
    module = cst.Module(body=[statement]).visit(FlattenBlocks())
    return len(compact_code(module, trailing_newline=False))
