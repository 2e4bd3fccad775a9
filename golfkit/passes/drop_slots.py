"""drop-slots: a class's ``__slots__`` declaration goes when nothing can tell it was there.

``__slots__`` changes what an instance can hold (no other attribute can be set, there is no
``__dict__`` or weak reference) and how it is stored; it never changes what a read of a set
attribute gives, and an unset slot raises the same ``AttributeError`` ("'C' object has no
attribute 'x'") as a missing instance attribute. So the declaration can go when:

- the class is sealed (``golfkit.analysis.classes``): no base but ``object``, no decorator or
  metaclass, its name only called, given to ``isinstance`` or read for an attribute that is no
  slot (``C.wrap(x)``), so no subclass depends on its layout;
- ``__slots__`` is bound once, directly in the class body, to a display of constant strings, and
  the name or string ``__slots__`` appears nowhere else;
- the program can set no attribute the slots lack on an instance of the class: every attribute
  store and deletion names a slot, or stores on the first parameter of a plain method of another
  sealed class, or on an imported module;
- nothing observes an instance's storage: no ``__dict__``, ``__class__`` or other dunder attribute
  but ``__init__``, no dunder in a string, no ``vars``, ``dir``, ``type``, ``setattr``, weak
  references, pickling, copying, sizes or memory probes, no introspection or frame access, no
  names or attributes reached through strings.

Sites: one per qualifying class, in source order; each drops one ``__slots__`` statement.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ExpressionContext, ExpressionContextProvider, ImportAssignment

from golfkit.analysis import ProgramFacts, StatementRemover, is_dunder, reaches_values_without_names
from golfkit.analysis.classes import PLAIN_DUNDER_ATTRIBUTES, class_body_scope, sealed_class
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip

SLOTS = "__slots__"
# The owner of an attribute store on an imported module (see ``_store_owner``).
MODULE = "module"
# Names and modules that look at an instance's storage, its type, its size or the memory it takes.
STORAGE_OBSERVERS = frozenset(
    {
        "vars", "dir", "type", "setattr", "delattr", "weakref", "WeakValueDictionary",
        "WeakKeyDictionary", "WeakSet", "finalize", "pickle", "cPickle", "copy", "deepcopy", "copyreg",
        "shelve", "marshal", "getsizeof", "tracemalloc", "resource", "getrusage", "psutil", "gc", "inspect",
        "types", "builtins", "__builtins__", "dataclasses", "asdict", "astuple", "attrgetter",
    }
)


class DropSlotsPass(Pass):
    name = "drop-slots"
    description = "Drop a class's __slots__ when no instance can get another attribute and nothing inspects its storage."
    safety = Safety.SAFE
    safety_statement = (
        "`__slots__` only restricts which attributes an instance can set and how they are stored: "
        "a set attribute reads the same, an unset one raises the same AttributeError with the same "
        "message. The declaration goes only from a class with no base but object, no decorator or "
        "metaclass, whose name is only called, given to isinstance or read for an attribute that is "
        "no slot (no subclass can depend on its layout), when every attribute store or deletion in the program names one of its slots "
        "or provably targets another object (the first parameter of a plain method of another such "
        "class, an imported module), and the program reads no dunder attribute but __init__, has no "
        "dunder in a string, names nothing that sees an instance's storage, type or size (vars, dir, "
        "type, setattr, weakref, pickle, copy, getsizeof, tracemalloc, gc, inspect, ...) and reaches "
        "no name or attribute through strings. Instances then take more memory and the run's speed "
        "changes; neither is part of its output."
    )
    metadata = (ExpressionContextProvider,)
    example = (
        "class Point:\n    __slots__ = ('x', 'y')\n\n    def __init__(self, x, y):\n        self.x = x\n"
        "        self.y = y\n\np = Point(1, 2)\np.x += 3\nprint(p.x, p.y)\n",
        "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\n"
        "p = Point(1, 2)\np.x += 3\nprint(p.x, p.y)\n",
    )

    def check(self, facts: ProgramFacts, context: PassContext) -> None:
        words = facts.vocabulary
        if SLOTS not in words.names:
            raise Skip("no class declares __slots__")
        dynamic = facts.dynamic
        if dynamic.names_frozen or dynamic.any_attribute_by_string or dynamic.attribute_strings:
            raise Skip("the program reaches names or attributes through strings (eval/exec/globals/getattr)")
        if facts.introspection or reaches_values_without_names(words.names, words.attributes, words.modules):
            raise Skip("the program can look at objects without their names (dir/inspect/frames/gc)")
        if facts.touches_builtins:
            raise Skip("the program reaches the builtins module")
        if any("__" in text for text in facts.string_texts):
            raise Skip("a string of the program spells a dunder")
        observers = sorted((words.names | words.attributes | words.modules) & STORAGE_OBSERVERS)
        if observers:
            raise Skip(f"the program names {observers[0]}, which can see an instance's storage, type or size")
        dunders = sorted(a for a in words.attributes if is_dunder(a) and a not in PLAIN_DUNDER_ATTRIBUTES)
        if dunders:
            raise Skip(f"the program reads the attribute {dunders[0]}")

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        declarations = {}
        for classdef in facts.classes:
            found = _declaration(facts, classdef)
            if found is not None:
                declarations[classdef] = found
        if not declarations:
            return []
        if any(_spelled_elsewhere(facts, node) for node in facts.nodes(cst.Name) if node.value == SLOTS):
            return []  # something reads or rebinds a __slots__: the declarations may show
        # Each store's object is classified once: a module, an instance of one sealed class, or
        # anything (None). A store is harmless to a class when it names a slot or its object is
        # provably no instance of that class.
        sealed: dict[cst.ClassDef, bool] = {}
        stores = [(attribute, _store_owner(facts, target, sealed)) for attribute, target in _attribute_stores(facts)]
        sites = []
        for classdef, (statement, slots) in declarations.items():
            if all(attribute in slots or owner not in (None, classdef) for attribute, owner in stores):
                sites.append(Site(statement, f"{classdef.name.value}.__slots__"))
        return sites

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        return facts.module.visit(StatementRemover({site.target for site in sites})).code


def _declaration(facts: ProgramFacts, classdef: cst.ClassDef) -> tuple[cst.Assign, frozenset[str]] | None:
    """The class body's ``__slots__ = <constant strings>`` statement and its slot names, when the
    class is sealed and binds ``__slots__`` only there. Reads of the class's other attributes
    (``C.wrap(x)`` of a static method) are allowed: they never hand out the class or an instance."""
    scope = class_body_scope(facts, classdef)
    if scope is None or len(scope.assignments[SLOTS]) != 1:
        return None
    for line in classdef.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if _binds_slots(small):
                slots = _slot_names(small.value)
                if slots is None or {"__dict__", "__weakref__"} & slots:
                    return None
                # A slot read on the class gives its descriptor; without slots it would raise.
                if not sealed_class(facts, classdef, readable=lambda name: name not in slots and not is_dunder(name)):
                    return None
                return small, slots
    return None


def _spelled_elsewhere(facts: ProgramFacts, name: cst.Name) -> bool:
    """``name`` (spelling ``__slots__``) is anything but the one target of an assignment directly
    in a class body."""
    target = facts.parent(name)
    assign = facts.parent(target)
    line = facts.parent(assign)
    block = facts.parent(line)
    return not (
        isinstance(target, cst.AssignTarget)
        and _binds_slots(assign)
        and isinstance(line, cst.SimpleStatementLine)
        and isinstance(block, cst.IndentedBlock)
        and isinstance(facts.parent(block), cst.ClassDef)
    )


def _binds_slots(small: cst.CSTNode) -> bool:
    """``small`` is ``__slots__ = ...`` (one plain name target)."""
    return (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == SLOTS
    )


def _slot_names(value: cst.BaseExpression) -> frozenset[str] | None:
    """The names a constant ``__slots__`` value declares: a string, or a tuple or list of strings
    and starred strings (``*'xy',`` declares x and y); None for anything else."""
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        return frozenset({text}) if isinstance(text, str) else None
    if not isinstance(value, (cst.Tuple, cst.List)):
        return None
    names = set()
    for element in value.elements:
        string = element.value
        if not isinstance(string, cst.SimpleString) or not isinstance(string.evaluated_value, str):
            return None
        if isinstance(element, cst.StarredElement):
            names.update(string.evaluated_value)
        else:
            names.add(string.evaluated_value)
    return frozenset(names)


def _attribute_stores(facts: ProgramFacts) -> list[tuple[str, cst.BaseExpression]]:
    """(attribute name, object expression) of every attribute the program sets or deletes."""
    contexts = facts.wrapper.resolve(ExpressionContextProvider)
    return [
        (node.attr.value, node.value)
        for node in facts.nodes(cst.Attribute)
        if contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL)
    ]


def _store_owner(facts: ProgramFacts, target: cst.BaseExpression, sealed: dict[cst.ClassDef, bool]):
    """What the object of an attribute store provably is: ``MODULE`` for an imported module, the
    class whose instance it is for the first parameter of a plain method of a sealed class (which
    nothing can call with another object: the class's name is only called, given to isinstance or
    read for other attributes), None when it could be anything. ``sealed`` memoises the answer per
    class."""
    if not isinstance(target, cst.Name):
        return None
    scope = facts.scopes.get(target)
    if scope is None:
        return None
    assignments = list(scope[target.value])
    if len(assignments) != 1:
        return None
    (assignment,) = assignments
    if isinstance(assignment, ImportAssignment):
        return MODULE
    param = assignment.node
    if not isinstance(param, cst.Param):
        return None
    function = facts.parent(facts.parent(param))
    if not isinstance(function, cst.FunctionDef) or function.decorators or function.asynchronous is not None:
        return None
    positional = [*function.params.posonly_params, *function.params.params]
    if not positional or positional[0] is not param:
        return None
    owner = facts.parent(facts.parent(function))
    if not isinstance(owner, cst.ClassDef):
        return None
    if owner not in sealed:
        sealed[owner] = sealed_class(facts, owner)
    return owner if sealed[owner] else None
