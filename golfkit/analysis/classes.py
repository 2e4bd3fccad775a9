"""Classes nothing can reach but through their own name: questions passes ask before they change
what a class body binds (an alias for a method, the ``__slots__`` it declares).

A *sealed* class is bound once, by a plain ``class C:`` or ``class C(object):`` statement (no
decorator, metaclass, keyword or type parameters), has no ``__getattr__``/``__getattribute__``,
and its name is only ever called (``C(...)``) or given to ``isinstance`` as the class argument.
Nothing can then subclass it, patch it or hand the class object elsewhere.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
from libcst.metadata import ClassScope

from golfkit.analysis.facts import ProgramFacts


# The one dunder attribute a program may read and still have its classes' internals unobserved:
# ``super().__init__(...)`` and the like.
PLAIN_DUNDER_ATTRIBUTES = frozenset({"__init__"})


def class_body_scope(facts: ProgramFacts, classdef: cst.ClassDef) -> ClassScope | None:
    """The scope of the class body (None for an empty body)."""
    body = classdef.body
    first = body.body[0] if body.body else None
    scope = facts.scopes.get(first) if first is not None else None
    return scope if isinstance(scope, ClassScope) else None


def sealed_class(facts: ProgramFacts, classdef: cst.ClassDef, readable: Callable[[str], bool] | None = None) -> bool:
    """Whether ``classdef`` is sealed (see the module's docstring). With ``readable``, reads of the
    class's attributes ``C.a`` for which ``readable(a)`` holds are allowed too: a read hands out
    what the class holds (a static method, a constant), never the class itself."""
    if classdef.decorators or classdef.keywords or getattr(classdef, "type_parameters", None):
        return False
    for base in classdef.bases:
        value = base.value
        if base.star or not (isinstance(value, cst.Name) and value.value == "object" and facts.is_builtin_read(value)):
            return False
    name = classdef.name.value
    if name in facts.walrus_names or name in facts.deleted_names:
        return False
    scope = facts.scopes.get(classdef.name)
    if scope is None or len(scope.assignments[name]) != 1 or facts.redirected(scope, name):
        return False
    if (id(scope), name) in facts.remote_writes:
        return False
    body_scope = class_body_scope(facts, classdef)
    if body_scope is None or body_scope.assignments["__getattr__"] or body_scope.assignments["__getattribute__"]:
        return False
    return name_never_escapes(facts, classdef, readable)


def name_never_escapes(facts: ProgramFacts, classdef: cst.ClassDef, readable: Callable[[str], bool] | None = None) -> bool:
    """Every other spelling of the class name is ``C(...)`` or ``isinstance(x, C)`` (C alone or
    in a tuple there), or, with ``readable``, a read ``C.a`` of an attribute it accepts: nothing
    can subclass, patch or hand out the class object."""
    for node in facts.nodes(cst.Name):
        if node.value != classdef.name.value or node is classdef.name:
            continue
        parent = facts.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            continue  # ``x.C``: an attribute that merely shares the spelling
        if isinstance(parent, cst.Call) and parent.func is node:
            continue
        if readable is not None and _attribute_read(facts, node, readable):
            continue
        if not isinstance_class_argument(facts, node):
            return False
    return True


def _attribute_read(facts: ProgramFacts, node: cst.Name, readable: Callable[[str], bool]) -> bool:
    """``node`` is the object of an attribute read ``C.a`` (not a store or deletion) with
    ``readable(a)``."""
    parent = facts.parent(node)
    if not (isinstance(parent, cst.Attribute) and parent.value is node and readable(parent.attr.value)):
        return False
    holder = facts.parent(parent)
    if isinstance(holder, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor, cst.WithItem)):
        return False  # stored, deleted or a loop target: the attribute changes
    return not isinstance(holder, (cst.Element, cst.StarredElement)) or not _in_target(facts, holder)


def _in_target(facts: ProgramFacts, node: cst.CSTNode) -> bool:
    """``node`` sits in an assignment or loop target (a tuple unpacked into)."""
    for ancestor in facts.ancestors(node):
        if isinstance(ancestor, (cst.AssignTarget, cst.For, cst.CompFor, cst.WithItem, cst.Del)):
            return True
        if isinstance(ancestor, cst.BaseStatement):
            return False
    return False


def isinstance_class_argument(facts: ProgramFacts, node: cst.Name) -> bool:
    """``node`` is the class argument of a call of the builtin ``isinstance`` (alone or in a tuple)."""
    parent = facts.parent(node)
    if isinstance(parent, cst.Element):
        tuple_node = facts.parent(parent)
        if not isinstance(tuple_node, cst.Tuple):
            return False
        node, parent = tuple_node, facts.parent(tuple_node)
    if not (isinstance(parent, cst.Arg) and parent.value is node and not parent.star and parent.keyword is None):
        return False
    call = facts.parent(parent)
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Name)
        and call.func.value == "isinstance"
        and facts.is_builtin_read(call.func)
        and len(call.args) == 2
        and call.args[1] is parent
    )
