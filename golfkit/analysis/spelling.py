"""Spelling: the shortest source text of a constant, how tightly an expression binds, and whether
it needs parentheses (or a space) where it is put.

Every spelling must read back as the very same value (same type, same bits), and every slot asks
for the binding strength the grammar needs there; an unknown slot asks for an atom, so an
expression is parenthesized rather than misread.
"""

from __future__ import annotations

import ast
import decimal
import math
from dataclasses import dataclass

import libcst as cst

from golfkit.analysis.syntax import COMPREHENSIONS, code

# Binding strength of expressions, loosest first (the Python grammar's precedence table).
TUPLE, NAMED, LAMBDA, IFEXP, OR, AND, NOT, COMPARE = -1, 0, 1, 2, 3, 4, 5, 6
BITOR, BITXOR, BITAND, SHIFT, ADD, MUL, UNARY, POWER, AWAIT, ATOM = 7, 8, 9, 10, 11, 12, 13, 14, 15, 16

_OPERATOR_PRECEDENCE = {
    cst.BitOr: BITOR, cst.BitXor: BITXOR, cst.BitAnd: BITAND, cst.LeftShift: SHIFT, cst.RightShift: SHIFT,
    cst.Add: ADD, cst.Subtract: ADD, cst.Multiply: MUL, cst.Divide: MUL, cst.FloorDivide: MUL,
    cst.Modulo: MUL, cst.MatrixMultiply: MUL, cst.Power: POWER,
}


@dataclass(frozen=True)
class Spelling:
    text: str
    precedence: int  # ATOM, UNARY (a minus sign) or POWER (``10**6``)

    def node(self) -> cst.BaseExpression:
        return cst.parse_expression(self.text)


def spell(value) -> Spelling | None:
    """The shortest source text that evaluates to exactly ``value`` (same type, same bits)."""
    if value is None or isinstance(value, bool):
        return Spelling(repr(value), ATOM)
    if isinstance(value, int):
        if value < 0:
            return Spelling("-" + spell(-value).text, UNARY)
        return _spell_int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if math.copysign(1.0, value) < 0:
            return Spelling("-" + _spell_positive_float(-value), UNARY)
        return Spelling(_spell_positive_float(value), ATOM)
    if isinstance(value, (str, bytes)):
        return Spelling(repr(value), ATOM)
    return None


def _spell_int(value: int) -> Spelling:
    best = Spelling(str(value), ATOM)
    if value >= 100:
        for base in range(2, 11):
            exponent = round(math.log(value, base))
            for k in (exponent - 1, exponent, exponent + 1):
                if k >= 2 and base**k == value:
                    text = f"{base}**{k}"
                    if len(text) < len(best.text):
                        best = Spelling(text, POWER)
    return best


def _spell_positive_float(value: float) -> str:
    if value == 0:
        return "0."
    sign, digits, exponent = decimal.Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    exponent += len(digits) - len(text)  # value == int(text) * 10**exponent
    candidates = [_positional(text, exponent), f"{text}e{exponent}"]
    if len(text) > 1:
        candidates.append(f"{text[0]}.{text[1:]}e{exponent + len(text) - 1}")
    else:
        candidates.append(f"{text}e{exponent}")
    for candidate in sorted(candidates, key=len):
        if float(candidate) == value:  # must round-trip to the very same float
            return candidate
    return repr(value)


def _positional(digits: str, exponent: int) -> str:
    if exponent >= 0:
        return digits + "0" * exponent + "."
    point = len(digits) + exponent
    if point <= 0:
        return "." + "0" * -point + digits
    return digits[:point] + "." + digits[point:]


def precedence(expr: cst.BaseExpression) -> int:
    if getattr(expr, "lpar", ()):
        return ATOM
    if isinstance(expr, cst.Tuple):
        return TUPLE
    if isinstance(expr, cst.NamedExpr):
        return NAMED
    if isinstance(expr, cst.Lambda):
        return LAMBDA
    if isinstance(expr, cst.IfExp):
        return IFEXP
    if isinstance(expr, cst.BooleanOperation):
        return OR if isinstance(expr.operator, cst.Or) else AND
    if isinstance(expr, cst.UnaryOperation):
        return NOT if isinstance(expr.operator, cst.Not) else UNARY
    if isinstance(expr, cst.Comparison):
        return COMPARE
    if isinstance(expr, cst.BinaryOperation):
        return _OPERATOR_PRECEDENCE[type(expr.operator)]
    if isinstance(expr, cst.Await):
        return AWAIT
    if isinstance(expr, (cst.Yield, cst.StarredElement)):
        return TUPLE - 1
    return ATOM


def required_precedence(parent: cst.CSTNode, child: cst.CSTNode) -> int:
    """How tightly an expression in ``child``'s slot of ``parent`` must bind to be read the same
    way without parentheses. Unknown slots ask for an atom (always parenthesize)."""
    if isinstance(parent, cst.BinaryOperation):
        level = _OPERATOR_PRECEDENCE[type(parent.operator)]
        if isinstance(parent.operator, cst.Power):  # right-associative, and ``2**-1`` is fine
            return AWAIT if child is parent.left else UNARY
        return level if child is parent.left else level + 1
    if isinstance(parent, cst.UnaryOperation):
        return NOT if isinstance(parent.operator, cst.Not) else UNARY
    if isinstance(parent, cst.BooleanOperation):
        level = OR if isinstance(parent.operator, cst.Or) else AND
        return level if child is parent.left else level + 1
    if isinstance(parent, cst.Comparison) or isinstance(parent, cst.ComparisonTarget):
        return COMPARE + 1
    if isinstance(parent, cst.IfExp):
        return IFEXP if child is parent.orelse else IFEXP + 1
    if isinstance(parent, cst.Lambda):
        return LAMBDA
    if isinstance(parent, (cst.Attribute, cst.Subscript, cst.Call)):
        return ATOM if child is getattr(parent, "value", getattr(parent, "func", None)) else LAMBDA
    if isinstance(parent, (cst.Arg, cst.Element, cst.DictElement, cst.Index, cst.Slice, cst.NamedExpr, cst.WithItem, cst.Param)):
        return LAMBDA
    if isinstance(parent, COMPREHENSIONS):
        return LAMBDA  # an element; the iterable lives in CompFor
    if isinstance(parent, cst.StarredElement):
        return BITOR
    if isinstance(parent, cst.FormattedStringExpression):
        return IFEXP
    if isinstance(parent, (cst.CompFor, cst.CompIf)):
        return OR
    if isinstance(parent, (cst.Assign, cst.AugAssign, cst.Return, cst.Expr, cst.AnnAssign)):
        return TUPLE
    if isinstance(parent, (cst.If, cst.While, cst.For)):
        return LAMBDA
    return ATOM


def fit(expr: cst.BaseExpression, parent: cst.CSTNode, child: cst.CSTNode) -> cst.BaseExpression:
    """``expr`` ready to take ``child``'s place in ``parent``: parenthesized when it would bind
    looser than the slot needs (or is a number before ``.attr``)."""
    needed = required_precedence(parent, child)
    number_before_dot = (
        isinstance(parent, cst.Attribute) and child is parent.value and isinstance(expr, (cst.Integer, cst.Float))
    )
    if precedence(expr) < needed or number_before_dot:
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


def parens_needed(spelling_precedence: int, parent: cst.CSTNode, child: cst.CSTNode, numeric: bool) -> bool:
    if isinstance(parent, cst.Attribute) and numeric and child is parent.value:
        return True
    return spelling_precedence < required_precedence(parent, child)


def fstring_safe(expr: cst.BaseExpression) -> bool:
    """Can ``expr``'s text sit inside an f-string replacement field (Python 3.11 rules)?"""
    text = code(expr)
    return not any(ch in text for ch in "'\"\\{}#!:\n") and precedence(expr) >= IFEXP


def glued_follower(facts, expr: cst.BaseExpression) -> cst.CSTNode | None:
    """The comprehension clause right after ``expr`` (a ``for`` iterable) when nothing separates
    them: ``for x in D.values()if c`` must not become ``for x in Dif c``."""
    comp_for = facts.parent(expr)
    if not isinstance(comp_for, cst.CompFor):
        return None
    follower = comp_for.ifs[0] if comp_for.ifs else comp_for.inner_for_in
    whitespace = follower.whitespace_before if follower is not None else None
    glued = isinstance(whitespace, cst.SimpleWhitespace) and whitespace.value == ""
    return follower if glued else None


def display_separators(display: cst.Dict, layout: bool) -> tuple[cst.Comma, cst.Comma | cst.MaybeSentinel]:
    """The comma between entries of ``display`` and the one after the last (kept as the display
    had it); with ``layout``, the separator copies the display's own line breaks."""
    elements = display.elements
    compact = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if not elements:
        return compact, cst.MaybeSentinel.DEFAULT
    trailing = elements[-1].comma
    if not layout:
        return compact, trailing
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        return _without_comment(elements[-2].comma), trailing
    if isinstance(display.lbrace.whitespace_after, cst.ParenthesizedWhitespace):
        return _without_comment(cst.Comma(whitespace_after=display.lbrace.whitespace_after)), trailing
    return compact, trailing


def _without_comment(comma: cst.Comma) -> cst.Comma:
    """The separator's line break and indentation, without the comment of the entry it follows."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return comma.with_changes(whitespace_after=after)


# --- literals as written: the shortest spelling of a number or string literal's own text ---------


def shortest_integer(text: str) -> str | None:
    value = int(text.replace("_", ""), 0)
    return min((str(value), hex(value)), key=len)


def shortest_float(text: str) -> str | None:
    value = float(text.replace("_", ""))
    if not math.isfinite(value):
        return None
    return _float_spelling(value)


def shortest_imaginary(text: str) -> str | None:
    value = float(text[:-1].replace("_", ""))
    if not math.isfinite(value):
        return None
    spellings = [_float_spelling(value)]
    if value.is_integer() and abs(value) < 1e16:
        spellings.append(str(int(value)))
    return min(spellings, key=len) + "j"


def _float_spelling(value: float) -> str:
    """The shortest decimal literal that reads back as ``value`` (which is finite, >= 0)."""
    if value == 0:
        return "0."
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # value == int(digits) * 10 ** scale, with digits free of trailing zeros.
    scale = int(exponent or 0) - len(fraction)
    stripped = digits.rstrip("0")
    scale += len(digits) - len(stripped)
    digits = stripped
    if scale >= 0:
        positional = digits + "0" * scale + "."
    elif -scale < len(digits):
        positional = f"{digits[:scale]}.{digits[scale:]}"
    else:
        positional = "." + "0" * (-scale - len(digits)) + digits
    candidates = [c for c in (positional, f"{digits}e{scale}") if float(c) == value]
    return min(candidates, key=len)


def shortest_string(value: str | bytes) -> str:
    """The shortest literal (by characters, then UTF-8 bytes) that evaluates to ``value``."""
    is_bytes = isinstance(value, bytes)
    text = value.decode("latin-1") if is_bytes else value
    prefix = "b" if is_bytes else ""
    candidates = []
    for quote in ("'", '"'):
        for triple in (False, True):
            candidates.append(prefix + quoted_literal(text, quote, triple, is_bytes))
            raw = _raw_quoted(text, quote, triple, is_bytes)
            if raw is not None:
                candidates.append("r" + prefix + raw)
    valid = [c for c in candidates if _evaluates_to(c, value)]
    return min(valid, key=lambda c: (len(c), len(c.encode("utf-8"))))


def _evaluates_to(literal: str, value) -> bool:
    try:
        result = ast.literal_eval(literal)
    except (SyntaxError, ValueError):
        return False
    return type(result) is type(value) and result == value


def quoted_literal(text: str, quote: str, triple: bool, is_bytes: bool) -> str:
    """``text`` between ``quote`` (tripled when ``triple``), escaped where it must be."""
    out = []
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else None
        if char == "\\":
            out.append("\\\\")
        elif char == quote and (not triple or following is None or following == quote):
            out.append("\\" + quote)
        elif char == "\n":
            out.append("\n" if triple else "\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\t")
        elif char == "\0":
            out.append("\\x00" if following is not None and following in "01234567" else "\\0")
        elif _printable(char, is_bytes):
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    delimiter = quote * 3 if triple else quote
    return delimiter + "".join(out) + delimiter


def _printable(char: str, is_bytes: bool) -> bool:
    if is_bytes:
        return " " <= char <= "~"
    # Lone surrogates cannot be written as UTF-8.
    return char.isprintable() and not 0xD800 <= ord(char) <= 0xDFFF


def _raw_quoted(text: str, quote: str, triple: bool, is_bytes: bool) -> str | None:
    """``text`` between quotes as a raw literal, when that can spell it at all."""
    if quote in text or text.endswith("\\") or "\r" in text or (not triple and "\n" in text):
        return None
    if not all(_printable(c, is_bytes) or c in "\t\n" for c in text):
        return None
    delimiter = quote * 3 if triple else quote
    return delimiter + text + delimiter
