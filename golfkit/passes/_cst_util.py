"""What the first passes (strip, lambda-fold, minify, layout) share: program-wide facts, the
never-longer rule and a compact printer for libcst trees.

The compact printer drives libcst's own code generator and decides only what goes *between* the
tokens it emits: whitespace, comments and blank lines are dropped, indentation becomes one space per
level, and a single space is put back wherever two tokens would otherwise fuse (``return x``,
``1 if``, ``in b''``). String literals, f-string text and self-documenting ``{x = }`` fields are
emitted verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

# libcst keeps its code generator state in a private module; the printer below subclasses it (the
# API has been stable since libcst 0.3: add_token / add_indent_tokens / before_ and after_codegen).
from libcst._nodes.internal import CodegenState

from golfkit.scope import DynamicUse, dynamic_use


def never_longer(source: str, result: str) -> str:
    """``result`` unless it is longer than ``source`` in characters or in UTF-8 bytes."""
    if len(result) > len(source) or len(result.encode("utf-8")) > len(source.encode("utf-8")):
        return source
    return result


# ---------------------------------------------------------------------------------------------
# Program-wide facts
# ---------------------------------------------------------------------------------------------

# Words whose presence means a program may look at docstrings, annotations or function names.
_DOC_READERS = frozenset({"__doc__", "help", "pydoc", "inspect", "doctest", "getdoc"})
_ANNOTATION_READERS = frozenset(
    {
        "__annotations__", "get_type_hints", "get_annotations", "inspect", "signature",
        "getfullargspec", "singledispatch", "singledispatchmethod", "dataclass", "dataclasses",
        "NamedTuple", "TypedDict", "pydantic", "attr", "attrs", "typing_extensions",
    }
)
_NAME_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__code__", "__wrapped__"})
# Modules that serialise or inspect functions by their qualified name.
_NAME_MODULES = frozenset(
    {"pickle", "copyreg", "shelve", "marshal", "multiprocessing", "concurrent", "inspect", "dis"}
)
# Ways to rebind a global from outside its module's own statements.
_GLOBAL_WRITERS = frozenset({"builtins", "__builtins__", "__main__", "modules"})


@dataclass(frozen=True)
class ProgramFacts:
    """Which names, attributes, strings and modules a program spells anywhere."""

    names: frozenset[str]
    attributes: frozenset[str]
    strings: frozenset[str]
    modules: frozenset[str]
    declared: frozenset[str]  # names in any ``global`` or ``nonlocal`` statement
    dynamic: DynamicUse
    future_annotations: bool
    repr_conversions: bool  # an f-string uses !r or !a

    @classmethod
    def of(cls, module: cst.Module) -> "ProgramFacts":
        collector = _FactCollector()
        module.visit(collector)
        return cls(
            names=frozenset(collector.names),
            attributes=frozenset(collector.attributes),
            strings=frozenset(collector.strings),
            modules=frozenset(collector.modules),
            declared=frozenset(collector.declared),
            dynamic=dynamic_use(module),
            future_annotations=collector.future_annotations,
            repr_conversions=collector.repr_conversions,
        )

    def _spells(self, words: frozenset[str]) -> bool:
        return bool(words & (self.names | self.strings | self.modules))

    @property
    def reaches_anything(self) -> bool:
        """eval/exec/globals() or attributes by computed strings: any name may be looked up."""
        return self.dynamic.names_frozen or self.dynamic.any_attribute_by_string

    @property
    def reads_docstrings(self) -> bool:
        return self.reaches_anything or self._spells(_DOC_READERS)

    @property
    def reads_annotations(self) -> bool:
        return self.reaches_anything or self._spells(_ANNOTATION_READERS)

    @property
    def reads_function_names(self) -> bool:
        """Whether a def's ``__name__``/``__qualname__`` (or its pickled identity) can show."""
        return (
            self.reaches_anything
            or bool(_NAME_ATTRIBUTES & (self.attributes | self.strings))
            or bool(_NAME_MODULES & self.modules)
        )

    @property
    def reads_class_names(self) -> bool:
        """Whether a class's name can show: ``type(x)``, ``__class__``, reprs."""
        return (
            self.reads_function_names
            or self.repr_conversions
            or bool({"type", "repr", "ascii"} & self.names)
            or bool({"__class__", "__module__", "__mro__"} & self.attributes)
            or any("%r" in text or "!r" in text for text in self.strings)
        )

    @property
    def globals_stable(self) -> bool:
        """Module globals change only through the module's own statements and ``global``."""
        return not (self.dynamic.names_frozen or self._spells(_GLOBAL_WRITERS))


class _FactCollector(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.strings: set[str] = set()
        self.modules: set[str] = set()
        self.declared: set[str] = set()
        self.future_annotations = False
        self.repr_conversions = False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attributes.add(node.attr.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str):
            self.strings.add(value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.strings.add(node.value)

    def visit_FormattedStringExpression(self, node: cst.FormattedStringExpression) -> None:
        if node.conversion in ("r", "a") or node.equal is not None:
            self.repr_conversions = True

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.modules.update(_dotted(alias.name).split("."))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            dotted = _dotted(node.module)
            self.modules.update(dotted.split("."))
            if dotted == "__future__" and not isinstance(node.names, cst.ImportStar):
                if any(_dotted(alias.name) == "annotations" for alias in node.names):
                    self.future_annotations = True

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared.update(item.name.value for item in node.names)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


# ---------------------------------------------------------------------------------------------
# Small syntactic helpers
# ---------------------------------------------------------------------------------------------

LITERALS = (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)


def is_literal(node: cst.BaseExpression) -> bool:
    """A constant whose evaluation has no effect: numbers, strings, ``...``, None/True/False."""
    if isinstance(node, LITERALS):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node.left) and is_literal(node.right)
    return isinstance(node, cst.Name) and node.value in ("None", "True", "False")


def zero_statement() -> cst.Expr:
    """``0``: the shortest statement that does nothing, for blocks that must not be empty."""
    return cst.Expr(cst.Integer("0"))


def with_semicolons(statements: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """The statements of one line, separated by ``;`` and without a trailing one."""
    last = len(statements) - 1
    return [
        statement.with_changes(semicolon=cst.Semicolon() if index < last else cst.MaybeSentinel.DEFAULT)
        for index, statement in enumerate(statements)
    ]


def block_lines(suite: cst.BaseSuite) -> list[list[cst.BaseSmallStatement]] | None:
    """The small statements of a block of simple statements, line by line; None when the block
    holds a compound statement."""
    if isinstance(suite, cst.SimpleStatementSuite):
        return [list(suite.body)]
    lines = []
    for statement in suite.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        lines.append(list(statement.body))
    return lines


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def mentions_name(node: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` appears as a variable anywhere under ``node`` (attribute names after a dot
    and keyword-argument names are not variables)."""
    return any(True for _ in variable_names(node, name))


def variable_names(node: cst.CSTNode, name: str | None = None):
    """The Name nodes under ``node`` that spell variables (optionally only ``name``)."""
    finder = _VariableNames(name)
    node.visit(finder)
    return finder.found


class _VariableNames(cst.CSTVisitor):
    def __init__(self, name: str | None):
        self.name = name
        self.found: list[cst.Name] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.name is None or node.value == self.name:
            self.found.append(node)


# ---------------------------------------------------------------------------------------------
# Compact layout
# ---------------------------------------------------------------------------------------------


class FlattenBlocks(cst.CSTTransformer):
    """Joins the simple statements of an indented block onto one line with ``;`` (saving the
    indentation of every line but the first) and moves a block of one such line onto its header
    (``if x:a;b``). Module-level lines stay apart: a newline costs the same as a semicolon."""

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        body: list[cst.BaseStatement] = []
        for statement in updated_node.body:
            if isinstance(statement, cst.SimpleStatementLine) and body and isinstance(
                body[-1], cst.SimpleStatementLine
            ):
                joined = [*body[-1].body, *statement.body]
                body[-1] = body[-1].with_changes(body=with_semicolons(joined))
            else:
                body.append(statement)
        if len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine):
            return cst.SimpleStatementSuite(body=with_semicolons(list(body[0].body)))
        return updated_node.with_changes(body=body)


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

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        self.stack.pop()

    def _verbatim_region(self) -> bool:
        """Inside ``{x = }`` every character is part of the printed text."""
        return any(
            isinstance(node, cst.FormattedStringExpression) and node.equal is not None
            for node in self.stack
        )

    def add_indent_tokens(self) -> None:
        if self._verbatim_region():
            super().add_indent_tokens()
        elif not any(isinstance(node, _DROPPED) for node in self.stack):
            self._emit(" " * len(self.indent_tokens), None)

    def add_token(self, value: str) -> None:
        owner = self.stack[-1] if self.stack else None
        if self._verbatim_region():
            self._emit(value, owner)
            return
        if any(isinstance(node, _DROPPED) for node in self.stack):
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
