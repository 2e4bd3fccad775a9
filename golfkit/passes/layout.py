"""layout: the shortest spelling of the same syntax tree.

Site 0 is the layout proper: simple statements of a block joined with ``;`` and put on their
header line, ``else: if`` as ``elif``, redundant parentheses dropped, and the module printed with
one-space indentation and no optional whitespace, comments or blank lines (see
``golfkit.analysis.compact_code``). Then one site per literal whose spelling can be shorter, in source
order: strings (quotes, escapes, prefixes, implicit concatenation) and numbers.

Every result is checked to parse to the same Python AST as the input; a rewrite that does not is
dropped, so what this pass emits always means exactly what it was given.
"""

from __future__ import annotations

import ast

import libcst as cst

from golfkit.analysis import (
    FlattenBlocks,
    ProgramFacts,
    code,
    compact_code,
    quoted_literal,
    shortest_float,
    shortest_imaginary,
    shortest_integer,
    shortest_string,
)
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip


class LayoutPass(Pass):
    name = "layout"
    description = "join statements, one-space indents, shortest literals, no optional whitespace"
    safety = Safety.SAFE
    safety_statement = (
        "Only spelling changes: whitespace, statement separators, redundant parentheses, quotes, "
        "escapes and number formats. The output is checked to parse to the same AST as the input "
        "(string kinds aside), and is discarded otherwise."
    )

    metadata = ()
    example = (
        "def f(a, b=2):\n    # a comment\n    total = a + b\n\n    return total * 1.0\nprint(f(1), 'ok')\n",
        "def f(a,b=2):total=a+b;return total*1.\nprint(f(1),'ok')",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.derived(_input_ast_key) is None:
            raise Skip("this interpreter's parser rejects the program: no AST to compare against")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        finder = _Respellings()
        facts.walk(finder)
        respellings = [Site((node, new), f"{code(node)} as {code(new)}") for node, new in finder.found]
        return [Site(_COMPACT, _COMPACT), *respellings]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        compact = any(site.target is _COMPACT for site in sites)
        replacements = dict(site.target for site in sites if site.target is not _COMPACT)
        original = facts.module
        respelled = original.visit(_Replace(replacements)) if replacements else original
        expected, source = facts.derived(_input_ast_key), original.code
        # Most to least ambitious; the first that keeps the AST wins (a safety net, not a search).
        for tree in (respelled, original):
            for candidate in _printings(tree, compact):
                # The input itself (a text already laid out) keeps its AST and parses: no checks.
                if candidate == source or (_ast_key(candidate) == expected and _libcst_parses(candidate)):
                    return candidate
        return source  # not reached: the original's own printing keeps its AST


# The layout proper, site 0: joined statements, one-space indents, no optional whitespace.
_COMPACT = "compact printing"


def _libcst_parses(source: str) -> bool:
    """Later passes parse with libcst, which is stricter than Python about some spacing."""
    try:
        cst.parse_module(source)
    except (cst.ParserSyntaxError, cst.CSTValidationError):
        return False
    return True


def _printings(module: cst.Module, compact: bool):
    if compact:
        yield compact_code(module.visit(_CompactLayout()), trailing_newline=False)
        # Parentheses kept: FlattenBlocks and _Elif alone.
        yield compact_code(module.visit(FlattenBlocks()).visit(_Elif()), trailing_newline=False)
    yield module.code


def _input_ast_key(facts: ProgramFacts) -> str | None:
    """The input's AST key, made once per text (``check`` and ``rewrite`` both ask)."""
    return _ast_key(facts.module.code)


def _ast_key(source: str) -> str | None:
    """The AST as text, blind to the ``u`` string prefix (``kind``), None if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.kind = None
    return ast.dump(tree)


class _Elif(cst.CSTTransformer):
    """``else:`` holding just an ``if`` becomes ``elif`` (the same AST)."""

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        return _as_elif(updated_node)


def _as_elif(node: cst.If) -> cst.If:
    orelse = node.orelse
    if isinstance(orelse, cst.Else) and isinstance(orelse.body, cst.IndentedBlock):
        body = orelse.body.body
        if len(body) == 1 and isinstance(body[0], cst.If):
            return node.with_changes(orelse=body[0].with_changes(leading_lines=()))
    return node


# ---------------------------------------------------------------------------------------------
# Parentheses
# ---------------------------------------------------------------------------------------------

# Binding strength of expression kinds (higher binds tighter), after the Python grammar.
_LAMBDA, _IFEXP, _OR, _AND, _NOT, _COMPARE = 0, 1, 2, 3, 4, 5
_BINARY = {
    cst.BitOr: 6, cst.BitXor: 7, cst.BitAnd: 8, cst.LeftShift: 9, cst.RightShift: 9,
    cst.Add: 10, cst.Subtract: 10, cst.Multiply: 11, cst.MatrixMultiply: 11, cst.Divide: 11,
    cst.FloorDivide: 11, cst.Modulo: 11, cst.Power: 13,
}
_UNARY, _POWER, _AWAIT, _ATOM = 12, 13, 14, 16
_ATOMS = (
    cst.Name, cst.SimpleString, cst.FormattedString, cst.Call, cst.Attribute, cst.Subscript,
    cst.List, cst.Dict, cst.Set, cst.ListComp, cst.SetComp, cst.DictComp, cst.Ellipsis,
    cst.Integer, cst.Float, cst.Imaginary,
)


def _strength(node: cst.BaseExpression) -> int | None:
    if isinstance(node, _ATOMS):
        return _ATOM
    if isinstance(node, cst.Await):
        return _AWAIT
    if isinstance(node, cst.BinaryOperation):
        return _BINARY.get(type(node.operator))
    if isinstance(node, cst.UnaryOperation):
        return _NOT if isinstance(node.operator, cst.Not) else _UNARY
    if isinstance(node, cst.Comparison):
        return _COMPARE
    if isinstance(node, cst.BooleanOperation):
        return _AND if isinstance(node.operator, cst.And) else _OR
    if isinstance(node, cst.IfExp):
        return _IFEXP
    if isinstance(node, cst.Lambda):
        return _LAMBDA
    return None  # tuples, walrus, yield, generators, starred: their brackets are left alone


def _unwrap(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[], rpar=[]) if node.lpar else node


_SPACE = cst.SimpleWhitespace(" ")  # the printer drops it again wherever no word follows


def _bracketed_tuple(node: cst.BaseExpression, starred: bool) -> bool:
    """A bracketed tuple whose brackets the grammar does not need where a bare tuple fits: not
    ``()``, and, when ``starred`` is False, no ``*x`` element (``return *a,`` is 3.8+ only,
    ``for x in *a,`` 3.9+)."""
    if not isinstance(node, cst.Tuple) or not node.lpar or not node.elements:
        return False
    return starred or not any(isinstance(element, cst.StarredElement) for element in node.elements)


class _DropParentheses(cst.CSTTransformer):
    """Drops brackets that the grammar does not need: around atoms anywhere (but ``(1).real``),
    around any plain expression where a whole expression stands (a statement's value, an
    argument, an element, an index, a lambda body), around operands that bind tighter than
    their operator, and around tuples that are assignment or ``for`` targets or the values of
    assignments, ``return``, ``yield`` and ``for ... in``. Nothing inside f-string fields is
    touched."""

    def __init__(self):
        super().__init__()
        self.in_fstring = 0

    def on_leave(self, original_node, updated_node):
        updated_node = super().on_leave(original_node, updated_node)
        if isinstance(updated_node, _ATOMS) and updated_node.lpar and not self.in_fstring:
            return _unwrap(updated_node)
        return updated_node

    def visit_FormattedStringExpression(self, node) -> None:
        self.in_fstring += 1

    def leave_FormattedStringExpression(self, original_node, updated_node):
        self.in_fstring -= 1
        return updated_node

    def _loose(self, node):
        """``node`` in a place where any expression but a tuple, walrus, yield or star fits."""
        if self.in_fstring or not node.lpar or _strength(node) is None:
            return node
        return _unwrap(node)

    def _tight(self, node, least: int):
        """``node`` as an operand that must bind at least as tight as ``least``."""
        strength = _strength(node)
        if self.in_fstring or not node.lpar or strength is None or strength < least:
            return node
        return _unwrap(node)

    def _bare(self, node, starred: bool = True):
        """``node`` where a bare tuple means the same as a bracketed one (``a,b=c``, ``x=1,2``,
        ``for a,b in c``); a tuple of one keeps its comma (``a,=c``)."""
        if self.in_fstring or not _bracketed_tuple(node, starred):
            return node
        return _unwrap(node)

    # Tuple targets and values: their brackets are needed only around ``()``.
    def leave_AssignTarget(self, original_node, updated_node):
        return updated_node.with_changes(target=self._bare(updated_node.target))

    def leave_For(self, original_node, updated_node):
        target, iterable = self._bare(updated_node.target), self._bare(updated_node.iter, starred=False)
        if target is updated_node.target and iterable is updated_node.iter:
            return updated_node
        # libcst insists on the spaces a bare target needs next to ``for`` and ``in``.
        return updated_node.with_changes(
            target=target, iter=iterable,
            whitespace_after_for=_SPACE, whitespace_before_in=_SPACE, whitespace_after_in=_SPACE,
        )

    def leave_CompFor(self, original_node, updated_node):
        # Only the target: ``[x for x in 1,2]`` is not Python.
        target = self._bare(updated_node.target)
        if target is updated_node.target:
            return updated_node
        return updated_node.with_changes(target=target, whitespace_after_for=_SPACE, whitespace_before_in=_SPACE)

    def leave_Yield(self, original_node, updated_node):
        value = updated_node.value
        if isinstance(value, cst.BaseExpression) and self._bare(value, starred=False) is not value:
            return updated_node.with_changes(value=_unwrap(value), whitespace_after_yield=_SPACE)
        return updated_node

    # Whole-expression positions.
    def leave_Assign(self, original_node, updated_node):
        return updated_node.with_changes(value=self._bare(self._loose(updated_node.value)))

    def leave_AugAssign(self, original_node, updated_node):
        return updated_node.with_changes(value=self._bare(self._loose(updated_node.value)))

    def leave_Return(self, original_node, updated_node):
        if updated_node.value is None:
            return updated_node
        value = self._loose(updated_node.value)
        if self._bare(value, starred=False) is not value:
            return updated_node.with_changes(value=_unwrap(value), whitespace_after_return=_SPACE)
        return updated_node.with_changes(value=value)

    def leave_Expr(self, original_node, updated_node):
        return updated_node.with_changes(value=self._loose(updated_node.value))

    def leave_If(self, original_node, updated_node):
        return updated_node.with_changes(test=self._loose(updated_node.test))

    def leave_While(self, original_node, updated_node):
        return updated_node.with_changes(test=self._loose(updated_node.test))

    def leave_Arg(self, original_node, updated_node):
        if updated_node.star:
            return updated_node.with_changes(value=self._tight(updated_node.value, _ATOM))
        return updated_node.with_changes(value=self._loose(updated_node.value))

    def leave_Element(self, original_node, updated_node):
        return updated_node.with_changes(value=self._loose(updated_node.value))

    def leave_DictElement(self, original_node, updated_node):
        key, value = self._loose(updated_node.key), self._loose(updated_node.value)
        return updated_node.with_changes(key=key, value=value)

    def leave_Index(self, original_node, updated_node):
        return updated_node.with_changes(value=self._loose(updated_node.value))

    def leave_Lambda(self, original_node, updated_node):
        return updated_node.with_changes(body=self._loose(updated_node.body))

    # Operands.
    def leave_Attribute(self, original_node, updated_node):
        value = updated_node.value
        if isinstance(value, (cst.Integer, cst.Float, cst.Imaginary)) and original_node.value.lpar:
            # ``(1).real``: without brackets the dot would join the number.
            return updated_node.with_changes(value=original_node.value)
        return updated_node

    def leave_IfExp(self, original_node, updated_node):
        return updated_node.with_changes(
            test=self._tight(updated_node.test, _OR),
            body=self._tight(updated_node.body, _OR),
            orelse=self._tight(updated_node.orelse, _LAMBDA),
        )

    def leave_BinaryOperation(self, original_node, updated_node):
        strength = _BINARY.get(type(updated_node.operator))
        if strength is None:
            return updated_node
        if strength == _POWER:
            # ``a ** b`` groups to the right, and its right operand may be unary: ``2**-1``.
            left, right = _POWER + 1, _UNARY
        else:
            left, right = strength, strength + 1
        return updated_node.with_changes(
            left=self._tight(updated_node.left, left), right=self._tight(updated_node.right, right)
        )

    def leave_UnaryOperation(self, original_node, updated_node):
        least = _NOT if isinstance(updated_node.operator, cst.Not) else _UNARY
        return updated_node.with_changes(expression=self._tight(updated_node.expression, least))

    def leave_BooleanOperation(self, original_node, updated_node):
        # Same-strength operands keep their brackets: ``(a and b) and c`` is another AST.
        strength = _strength(updated_node)
        return updated_node.with_changes(
            left=self._tight(updated_node.left, strength + 1),
            right=self._tight(updated_node.right, strength + 1),
        )

    def leave_Comparison(self, original_node, updated_node):
        comparisons = [
            c.with_changes(comparator=self._tight(c.comparator, _COMPARE + 1))
            for c in updated_node.comparisons
        ]
        return updated_node.with_changes(
            left=self._tight(updated_node.left, _COMPARE + 1), comparisons=comparisons
        )


# ---------------------------------------------------------------------------------------------
# Literals
# ---------------------------------------------------------------------------------------------


class _Respellings(cst.CSTVisitor):
    """(literal, its shorter spelling) for every literal whose shortest spelling is shorter than
    its current one, in the order their visits end."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        self.fstring_depth = 0  # strings inside f-string fields must keep their quotes

    def _offer(self, node, spelling: str | None):
        if spelling is not None and len(spelling) < len(node.value):
            self.found.append((node, node.with_changes(value=spelling)))

    def leave_Integer(self, original_node):
        self._offer(original_node, shortest_integer(original_node.value))

    def leave_Float(self, original_node):
        self._offer(original_node, shortest_float(original_node.value))

    def leave_Imaginary(self, original_node):
        self._offer(original_node, shortest_imaginary(original_node.value))

    def visit_FormattedStringExpression(self, node) -> None:
        self.fstring_depth += 1

    def leave_FormattedStringExpression(self, original_node):
        self.fstring_depth -= 1

    def leave_SimpleString(self, original_node):
        if not self.fstring_depth:
            self._offer(original_node, shortest_string(original_node.evaluated_value))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        # A concatenation of plain strings is respelled as one literal; its parts are not visited.
        return _plain_parts(node) is None

    def leave_ConcatenatedString(self, original_node):
        parts = _plain_parts(original_node)
        if parts is None or self.fstring_depth:
            return
        values = [part.evaluated_value for part in parts]
        if len({type(v) for v in values}) != 1:
            return
        spelling = shortest_string(values[0][:0].join(values))
        if len(spelling) < len(code(original_node)):
            self.found.append((original_node, cst.SimpleString(spelling, lpar=original_node.lpar,
                                                               rpar=original_node.rpar)))

    def leave_FormattedString(self, original_node):
        if self.fstring_depth:
            return
        respelled = _respell_fstring(original_node)
        if respelled is not None and len(code(respelled)) < len(code(original_node)):
            self.found.append((original_node, respelled))


class _Replace(cst.CSTTransformer):
    """Puts the chosen spellings in place of their literals (none of which holds another)."""

    def __init__(self, replacements: dict):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(original_node, updated_node)


def _plain_parts(node: cst.ConcatenatedString) -> list[cst.SimpleString] | None:
    parts = []
    for side in (node.left, node.right):
        if isinstance(side, cst.SimpleString):
            parts.append(side)
        elif isinstance(side, cst.ConcatenatedString) and _plain_parts(side) is not None:
            parts.extend(_plain_parts(side))
        else:
            return None
    return parts


def _respell_fstring(node: cst.FormattedString) -> cst.FormattedString | None:
    """Requote an f-string whose fields use no quotes or backslashes, re-escaping its text."""
    if node.prefix.lower() != "f":
        return None
    quote = node.start[len(node.prefix):]
    texts = {}
    for index, part in enumerate(node.parts):
        if isinstance(part, cst.FormattedStringText):
            texts[index] = _fstring_text_value(part.value, quote)
            if texts[index] is None:
                return None
        elif any(c in code(part) for c in "'\"\\\n"):
            return None
    best = None
    for quote in ("'", '"'):
        for delimiter in (quote, quote * 3):
            parts = [
                part.with_changes(value=_fstring_text(texts[index], quote, delimiter))
                if index in texts
                else part
                for index, part in enumerate(node.parts)
            ]
            candidate = node.with_changes(parts=parts, start=node.prefix + delimiter, end=delimiter)
            if best is None or len(code(candidate)) < len(code(best)):
                best = candidate
    return best


def _fstring_text(value: str, quote: str, delimiter: str) -> str:
    """A literal part of an f-string: escaped like a string, braces doubled."""
    body = quoted_literal(value, quote, len(delimiter) == 3, False)[len(delimiter) : -len(delimiter)]
    return body.replace("{", "{{").replace("}", "}}")


def _fstring_text_value(raw: str, quote: str) -> str | None:
    """What a literal part of an f-string stands for (``{{`` is ``{``), if simply decodable."""
    if "\\N" in raw:
        return None  # a named escape holds braces of its own
    undoubled = raw.replace("{{", "{").replace("}}", "}")
    try:
        value = ast.literal_eval(quote + undoubled + quote)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


class _CompactLayout(_DropParentheses, FlattenBlocks):
    """FlattenBlocks, then _Elif, then _DropParentheses, in one walk instead of three (libcst
    builds every node anew on each). The same result: FlattenBlocks only reshapes blocks and
    _DropParentheses only expressions, and a node's ``leave`` comes after all of its children's,
    so each transformer sees at every node what it would have seen after the ones before it."""

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        return super().leave_If(original_node, _as_elif(updated_node))
