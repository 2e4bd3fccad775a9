"""positional-args: keyword arguments of standard-library calls that the callee also takes by
position are passed by position: ``random.choices(r, weights=w)`` becomes ``random.choices(r, w)``.

Sites, in source order: one per call whose callee resolves, through the program's imports, to a
function or class of an allowed standard-library module (or a builtin spelled by its bare name)
and whose leading keywords can move; the key names the callee and those keywords
(``random.choices weights``).
"""

from __future__ import annotations

import importlib
import inspect
import sys

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider, ImportAssignment

from golfkit.analysis import ProgramFacts, dotted_name
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip
from golfkit.analysis.patterns import captured_names

# Modules golfkit imports into its own process to read signatures: standard-library modules whose
# import has no side effect (no threads, files, output or global settings), so looking costs nothing.
SIGNATURE_MODULES = frozenset(
    {"random", "math", "cmath", "itertools", "functools", "operator", "collections", "string", "re", "json",
     "os.path", "statistics", "heapq", "bisect", "textwrap", "builtins", "fractions", "decimal"}
)
# Parameters whose positional use is deprecated (Python 3.13 warns on stderr).
DEPRECATED_POSITIONAL = {
    "re.sub": {"count", "flags"},
    "re.subn": {"count", "flags"},
    "re.split": {"maxsplit", "flags"},
}
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class PositionalArgsPass(Pass):
    name = "positional-args"
    description = "Pass keyword arguments of standard-library calls by position where the signature allows."
    safety = Safety.SAFE
    safety_statement = (
        "A keyword argument moves only when it names the parameter right after those already "
        "passed by position (every earlier parameter positional, each given positionally), with no "
        "*args or **kwargs in the call, and only the leading keywords move, in order: the callee "
        "binds the same values to the same parameters and the arguments are evaluated in the "
        "same order. The callee is resolved through the imports to a standard-library function "
        "whose real signature is read; it is left alone when the module name or the attribute "
        "could be rebound (any other binding, an attribute store, setattr by that name, builtins "
        "reached) or names are reached through strings, and for parameters whose positional use "
        "is deprecated."
    )
    metadata = (ExpressionContextProvider,)
    example = (
        "import random\n"
        "random.seed(1)\n"
        "print(random.choices('ab', weights=[1, 3], k=2), round(2.675, ndigits=2))\n",
        "import random\n"
        "random.seed(1)\n"
        "print(random.choices('ab', [1, 3], k=2), round(2.675, 2))\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        if facts.dynamic.names_frozen:
            raise Skip("the program reaches names through strings")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        sites = []
        for call in facts.nodes(cst.Call):
            qualified = _stdlib_callee(facts, call.func)
            if qualified is None:
                continue
            moving = _movable_keywords(call, qualified)
            if moving:
                sites.append(Site((call, moving), f"{qualified} {' '.join(moving)}"))
        return sites

    def rewrite(self, facts: ProgramFacts, sites, context: PassContext) -> str:
        return facts.module.visit(_Rewriter({call: len(moving) for call, moving in (s.target for s in sites)})).code


def _stdlib_callee(facts: ProgramFacts, func: cst.BaseExpression) -> str | None:
    """The callee's qualified name (``random.choices``, ``builtins.round``) when it surely is that
    standard-library callable whatever the program does."""
    head = func
    while isinstance(head, cst.Attribute):
        head = head.value
    if not isinstance(head, cst.Name):
        return None
    dotted = dotted_name(func)
    names = facts.qualified_names(func)
    if len(names) != 1:
        return None
    qualified = names.pop()
    referents = facts.referents(head)
    if not referents or head.value in facts.declared_names | facts.walrus_names | facts.deleted_names:
        return None
    if head.value in captured_names(facts):
        return None  # a match pattern may bind another callable to the name
    if qualified.startswith("builtins."):
        # Only a bare builtin name: methods of builtins (``str.split``) are out of scope.
        if not isinstance(func, cst.Name) or qualified != f"builtins.{dotted}" or not facts.builtin_fixed(dotted):
            return None
        return qualified
    if not all(isinstance(a, ImportAssignment) for a in referents):
        return None
    module, _, attribute = qualified.rpartition(".")
    if module not in SIGNATURE_MODULES:
        return None
    if isinstance(func, cst.Attribute) and func.attr.value != attribute:
        return None  # resolved to something else than the attribute spelled (``str.split``)
    if module.split(".")[0] not in sys.stdlib_module_names:
        return None
    if _attribute_rebindable(facts, attribute) or (isinstance(func, cst.Attribute) and _module_attributes_stored(facts, func)):
        return None
    return qualified


def _attribute_rebindable(facts: ProgramFacts, attribute: str) -> bool:
    """``something.attribute`` is stored or deleted somewhere, or set by string."""
    dynamic = facts.dynamic
    if dynamic.any_attribute_by_string or attribute in dynamic.attribute_strings:
        return True
    contexts = facts.wrapper.resolve(ExpressionContextProvider)
    return any(
        contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL)
        for node in facts.attributes_by_name.get(attribute, ())
    )


def _module_attributes_stored(facts: ProgramFacts, func: cst.Attribute) -> bool:
    """A module on the callee's path (``os.path`` of ``os.path.join``) is replaced somewhere."""
    node = func.value
    while isinstance(node, cst.Attribute):
        if _attribute_rebindable(facts, node.attr.value):
            return True
        node = node.value
    return False


def _signature(qualified: str) -> inspect.Signature | None:
    module_name, _, attribute = qualified.rpartition(".")
    if module_name not in SIGNATURE_MODULES:
        return None
    try:
        target = getattr(importlib.import_module(module_name), attribute)
        if not callable(target):
            return None
        return inspect.signature(target)
    except (AttributeError, ImportError, TypeError, ValueError):
        return None


def _movable_keywords(call: cst.Call, qualified: str) -> list[str]:
    """The leading keywords of ``call`` that name, in order, the parameters right after those
    passed by position."""
    if any(argument.star for argument in call.args):
        return []
    signature = _signature(qualified)
    if signature is None:
        return []
    parameters = list(signature.parameters.values())
    positional = [argument for argument in call.args if argument.keyword is None]
    keywords = call.args[len(positional):]
    if any(argument.keyword is None for argument in keywords):
        return []
    count = len(positional)
    if count > len(parameters) or any(p.kind not in POSITIONAL for p in parameters[:count]):
        return []
    deprecated = DEPRECATED_POSITIONAL.get(qualified, set())
    moving = []
    for argument, parameter in zip(keywords, parameters[count:]):
        name = argument.keyword.value
        if name != parameter.name or parameter.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
            break
        if name in deprecated:
            break
        moving.append(name)
    return moving


class _Rewriter(cst.CSTTransformer):
    def __init__(self, moving: dict[cst.Call, int]):
        super().__init__()
        self.moving = moving

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        count = self.moving.get(original)
        if not count:
            return updated
        first = sum(argument.keyword is None for argument in updated.args)
        arguments = list(updated.args)
        for index in range(first, first + count):
            arguments[index] = arguments[index].with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(args=arguments)
