"""list-splice: a chain of ``+`` between list displays and list comprehensions becomes one display.

``[a]+[b]`` becomes ``[a,b]``; a comprehension joins the display unpacked, ``[a]+[f(x)for x in
y]+[b]`` as ``[a,*[f(x)for x in y],b]``, or as ``[a,*map(f,y),b]`` when ``f`` is one of a few
builtins the program cannot rebind and it defines no class (see ``_mappable``).

Sites, in source order: one per maximal chain whose every operand is a list display, a list
comprehension or such a chain in brackets, keyed by the chain's code, offered only when its
display is shorter once printed compactly. A chain that has anything else to its left
(``xs+[a]+[b]``) is left alone: ``xs+`` may be any type's ``__add__``.
"""

from __future__ import annotations

import libcst as cst

from golfkit.analysis import ProgramFacts, code, compact_code
from golfkit.passes.base import Pass, PassContext, Safety, Site
from golfkit.analysis.patterns import captured_names

# Builtins that, called with one argument of a builtin or standard type, never let StopIteration
# out (which would end ``*map(...)`` quietly where the comprehension raised it): ``next`` is not
# here, and the consuming ones (``list``, ``sum``...) stop at StopIteration themselves.
_MAPPABLE_BUILTINS = frozenset({
    "abs", "ascii", "bin", "bool", "chr", "float", "frozenset", "hex", "int", "len", "list", "max",
    "min", "oct", "ord", "repr", "round", "set", "sorted", "str", "sum", "tuple",
})


class ListSplicePass(Pass):
    name = "list-splice"
    description = "Join [a]+[b]+[f(x)for x in y] into one display: [a,b,*map(f,y)]."
    safety = Safety.SAFE
    safety_statement = (
        "Only chains whose operands are all list displays or list comprehensions, from the "
        "chain's leftmost operand on: list + list is always list.__add__, a new list of the left "
        "items then the right ones, which is what one display of the same items builds, in the "
        "same order of evaluation (each operand was evaluated left to right before the additions, "
        "which cannot fail). A comprehension is unpacked as it is (`*[...]`), the same object "
        "built the same way. `*map(f,y)` stands for `[f(x)for x in y]` only when `f` and `map` "
        "are builtins nothing can rebind, `f` is one whose call lets no StopIteration out, and the "
        "program defines no class (no user method can raise it inside `f`): `map` evaluates `y` "
        "and calls `iter` on it at the same point, and the display consumes it at once, calling "
        "`f` on each item in order. Chains in annotations are left alone."
    )

    metadata = ()
    example = (
        "word = 'abc'\nprint([0] + [ord(c) for c in word] + [0], [1] + [2, 3])\n",
        "word = 'abc'\nprint([0, *map(ord, word), 0], [1, 2, 3])\n",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for node in facts.nodes(cst.BinaryOperation):
            if not _list_chain(node) or _list_chain(facts.parent(node)) or _in_annotation(facts, node):
                continue
            forms = tuple(_mappable(facts, operand) for operand in _operands(node))
            if _length(_spliced(node, forms)) < _length(node):
                sites.append(Site((node, forms), code(node)))
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        return facts.module.visit(_Splicer(dict(site.target for site in sites))).code


def _list_chain(node) -> bool:
    """``node`` is ``A+B`` with each side a list display, a list comprehension or such a chain."""
    return (
        isinstance(node, cst.BinaryOperation)
        and isinstance(node.operator, cst.Add)
        and all(isinstance(side, (cst.List, cst.ListComp)) or _list_chain(side) for side in (node.left, node.right))
    )


def _operands(chain: cst.BinaryOperation) -> list:
    """The displays and comprehensions of a chain, left to right, bracketed sub-chains opened."""
    found = []
    for side in (chain.left, chain.right):
        found.extend(_operands(side) if isinstance(side, cst.BinaryOperation) else [side])
    return found


def _in_annotation(facts: ProgramFacts, node) -> bool:
    # An annotation may be kept as text (__annotations__ under `from __future__ import annotations`).
    return any(isinstance(ancestor, cst.Annotation) for ancestor in facts.ancestors(node))


def _mappable(facts: ProgramFacts, operand) -> bool:
    """``operand`` is ``[f(x) for x in y]`` that ``*map(f,y)`` may stand for."""
    if not isinstance(operand, cst.ListComp):
        return False
    loop, element = operand.for_in, operand.elt
    if loop.ifs or loop.inner_for_in is not None or loop.asynchronous is not None:
        return False
    if not isinstance(loop.target, cst.Name) or not isinstance(element, cst.Call) or len(element.args) != 1:
        return False
    (argument,) = element.args
    if argument.keyword is not None or argument.star or not isinstance(argument.value, cst.Name):
        return False
    if argument.value.value != loop.target.value or argument.value.lpar:
        return False
    function = element.func
    return (
        facts.reads_builtin(function, _MAPPABLE_BUILTINS)
        and facts.builtin_fixed(function.value)
        and facts.builtin_fixed("map")
        and not {function.value, "map"} & captured_names(facts)  # a match pattern may rebind them
        and not facts.classes
        and "type" not in facts.vocabulary.names  # type(name, bases, namespace) makes a class
    )


def _spliced(chain: cst.BinaryOperation, forms: tuple[bool, ...]) -> cst.List:
    """The one display standing for ``chain``; ``forms`` says which comprehensions become
    ``*map(f,y)``, in the order of the chain's operands."""
    elements = []
    for operand, mapped in zip(_operands(chain), forms):
        if isinstance(operand, cst.List):
            elements.extend(element.with_changes(comma=cst.MaybeSentinel.DEFAULT) for element in operand.elements)
        elif mapped:
            call = operand.elt
            iterable = operand.for_in.iter
            mapping = cst.Call(cst.Name("map"), [cst.Arg(call.func.with_changes(lpar=[], rpar=[])), cst.Arg(iterable)])
            elements.append(cst.StarredElement(mapping))
        else:
            elements.append(cst.StarredElement(operand.with_changes(lpar=[], rpar=[])))
    return cst.List(elements)


def _length(expression: cst.BaseExpression) -> int:
    statement = cst.SimpleStatementLine([cst.Expr(expression.with_changes(lpar=[], rpar=[]))])
    return len(compact_code(cst.Module([statement]), trailing_newline=False))


class _Splicer(cst.CSTTransformer):
    """Puts each chosen chain's display in its place (from the updated chain, so chains inside
    its elements are spliced too)."""

    def __init__(self, chosen: dict):
        super().__init__()
        self.chosen = chosen

    def leave_BinaryOperation(self, original_node, updated_node):
        forms = self.chosen.get(original_node)
        return updated_node if forms is None else _spliced(updated_node, forms)
