"""Every way a program can see or reach its own names other than by spelling them where it uses
them: strings handed to eval/getattr & co, frames, module objects, docstrings, annotations,
function and class names. This is the one policy every pass and the renamer consult.

Each list is matched against words the program spells (names, attributes, strings or imported
modules, as each use says). A word on a list only makes a pass hold back, so the lists err on the
long side: a needless entry costs a few characters in a rare program, a missing one a wrong result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import libcst as cst

from golfkit.analysis.syntax import nodes_by_type

# Builtins that read or write a scope's names by string.
SCOPE_BY_STRING = frozenset({"eval", "exec", "globals", "locals", "vars", "__import__", "compile"})
# Builtins that reach an attribute by a string argument.
ATTRIBUTE_BY_STRING = frozenset({"getattr", "setattr", "hasattr", "delattr"})

# Attributes and functions through which a frame, and so its locals and globals, can be read (after
# a statement raised, say, or from a tracer): a program naming one may observe when a local is
# bound or freed.
FRAME_READERS = frozenset(
    {"f_locals", "f_globals", "f_back", "tb_frame", "_getframe", "gi_frame", "cr_frame", "ag_frame",
     "settrace", "setprofile"}
)

# Ways to reach a module's globals from outside its own statements: ``__main__`` (as a name or an
# import) and ``sys.modules``.
MODULE_READERS = frozenset({"__main__", "modules"})
# Names of the builtins module, through which any builtin can be rebound.
BUILTINS_MODULES = frozenset({"builtins", "__builtins__"})
# Ways to rebind a global (a builtin included) from outside its module's own statements.
GLOBAL_WRITERS = MODULE_READERS | BUILTINS_MODULES

# Ways to reach a variable's value without its name: frames, module objects, function globals and
# closure cells, the garbage collector's referrers.
ESCAPE_ATTRIBUTES = FRAME_READERS | frozenset(
    {"modules", "__globals__", "__closure__", "cell_contents", "get_referrers", "get_objects"}
)
# Modules that reach any object of the program without its name.
ESCAPE_MODULES = frozenset({"__main__", "gc", "inspect", "importlib", "pdb", "bdb", "ctypes"})

# Words whose presence means a program may look at docstrings.
DOC_READERS = frozenset({"__doc__", "help", "pydoc", "inspect", "doctest", "getdoc"})
# Names whose use means annotations get evaluated: typing.get_type_hints, inspect/annotationlib
# get_annotations, singledispatch's register (it calls get_type_hints), and dataclasses, which
# looks up the first name of a string annotation in the module's globals (ClassVar, InitVar).
ANNOTATION_EVALUATORS = frozenset(
    {"get_type_hints", "get_annotations", "singledispatch", "singledispatchmethod", "dataclasses"}
)
# Words whose presence means a program may look at annotations, evaluated or not.
ANNOTATION_READERS = ANNOTATION_EVALUATORS | frozenset(
    {"__annotations__", "inspect", "signature", "getfullargspec", "dataclass", "NamedTuple", "TypedDict",
     "pydantic", "attr", "attrs", "typing_extensions"}
)
# Attributes that show a function's name.
FUNCTION_NAME_READERS = frozenset({"__name__", "__qualname__", "__code__", "__wrapped__"})
# Modules that serialise or inspect functions by their qualified name.
NAME_MODULES = frozenset(
    {"pickle", "copyreg", "shelve", "marshal", "multiprocessing", "concurrent", "inspect", "dis"}
)
# Builtins and attributes that show a class's name (besides the function-name readers).
CLASS_NAME_BUILTINS = frozenset({"type", "repr", "ascii"})
CLASS_NAME_ATTRIBUTES = frozenset({"__class__", "__module__", "__mro__"})


@dataclass(frozen=True)
class DynamicUse:
    """How a program reaches names other than by spelling them."""

    # eval/exec/globals/locals/vars/import *: any name of the program may be read by string.
    scope_by_string: bool
    # Attribute names given as string literals to getattr & co (or read through __dict__ keys).
    attribute_strings: frozenset[str]
    # An attribute is reached through a non-literal string or ``__dict__``: no attribute is safe.
    any_attribute_by_string: bool

    @property
    def names_frozen(self) -> bool:
        return self.scope_by_string

    def attribute_renamable(self, name: str) -> bool:
        if self.any_attribute_by_string or name in self.attribute_strings:
            return False
        return not (name.startswith("__") and name.endswith("__"))


def dynamic_use(module: cst.Module, nodes: Callable[[type], list] | None = None) -> DynamicUse:
    """Scan the whole module (every scope) for string-based name access. ``nodes(kind)`` gives
    the module's nodes of one exact type when the caller has them indexed already (one walk
    shared by every question); otherwise the module is walked here."""
    if nodes is None:
        nodes = nodes_by_type(module).__getitem__
    scope_by_string = False
    strings: set[str] = set()
    any_attribute = False
    for call in nodes(cst.Call):
        if not isinstance(call.func, cst.Name):
            continue
        name = call.func.value
        if name in SCOPE_BY_STRING:
            scope_by_string = True
        elif name in ATTRIBUTE_BY_STRING:
            if len(call.args) >= 2 and isinstance(call.args[1].value, cst.SimpleString):
                strings.add(call.args[1].value.evaluated_value)
            else:
                any_attribute = True
    if nodes(cst.ImportStar):
        scope_by_string = True
    # A Name node spells both ``__dict__`` and ``x.__dict__`` (an attribute's name is a Name).
    if any(name.value == "__dict__" for name in nodes(cst.Name)):
        any_attribute = True
    return DynamicUse(scope_by_string, frozenset(strings), any_attribute)


def reads_own_module(module: cst.Module, nodes: Callable[[type], list] | None = None) -> bool:
    """The program can reach its own module object (``__main__`` as a name or an import, any
    ``.modules`` such as ``sys.modules``), and through it read or rebind its globals. ``nodes``
    as for ``dynamic_use``."""
    if nodes is None:
        nodes = nodes_by_type(module).__getitem__
    if any(name.value == "__main__" for name in nodes(cst.Name)):
        return True
    return any(attribute.attr.value in MODULE_READERS for attribute in nodes(cst.Attribute))


def reaches_values_without_names(names, attributes, modules) -> bool:
    """Given the names, attribute names and imported modules a program spells: can it reach a
    variable's value without spelling the variable (frames, cells, gc, ``__main__``)?"""
    return bool(attributes & ESCAPE_ATTRIBUTES or names & ESCAPE_MODULES or modules & ESCAPE_MODULES)
