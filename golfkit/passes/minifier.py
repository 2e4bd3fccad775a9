"""minify: python-minifier over the whole module, with the option sets that pay.

One site per option set, in the fixed order of OPTION_SETS; the shortest result (UTF-8 bytes)
among the enabled sets is kept, and only when it is shorter than the input.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
import python_minifier

from golfkit.analysis import Vocabulary
from golfkit.passes.base import Edits, Pass, PassContext, Safety

# Name → the options that differ between the sets. Renaming globals usually pays most; hoisting
# repeated strings into globals pays on some programs and costs on others.
OPTION_SETS: tuple[tuple[str, dict], ...] = (
    ("rename-all", {"rename_globals": True, "rename_locals": True, "hoist_literals": True}),
    ("rename-all-no-hoist", {"rename_globals": True, "rename_locals": True, "hoist_literals": False}),
    ("rename-locals", {"rename_globals": False, "rename_locals": True, "hoist_literals": True}),
    ("no-rename", {"rename_globals": False, "rename_locals": False, "hoist_literals": False}),
)


class MinifierPass(Pass):
    name = "minify"
    description = "python-minifier with renaming, keeping the shortest of a few option sets"
    safety = Safety.SAFE
    safety_statement = (
        "python-minifier rewrites the AST with transforms its authors keep behaviour-preserving; "
        "golfkit leaves out the ones that are not (asserts, __debug__ branches, annotations, "
        "docstrings the program reads, positional-only parameters next to **kwargs). Renaming and "
        "literal hoisting are off when names are reached by string (eval, exec, globals(), "
        "locals(), vars(), dir(), import *) or annotations are read; class and function names "
        "are kept when the program can show them (__name__, __qualname__, type(), repr, a base "
        "class or decorator that may print them)."
    )

    def apply(self, source: str, context: PassContext, edits: Edits) -> str:
        module = cst.parse_module(source)
        facts = Vocabulary.of(module)
        common = _common_options(module, facts)
        best = source
        for _, options in OPTION_SETS:
            if not edits.propose():
                continue
            result = _minify(source, {**options, **common})
            if result is not None and len(result.encode("utf-8")) < len(best.encode("utf-8")):
                best = result
        return best


def _minify(source: str, options: dict) -> str | None:
    try:
        result = python_minifier.minify(source, **options)
        compile(result, "<minified>", "exec")
    except Exception:  # python-minifier refuses some inputs; that option set then offers nothing
        return None
    return result


def _common_options(module: cst.Module, facts: Vocabulary) -> dict:
    options = {
        # Annotations are strip's business: it knows when one makes a name local or is read.
        "remove_annotations": False,
        "remove_literal_statements": not facts.reads_docstrings,
        "remove_asserts": False,
        "remove_debug": False,
        "preserve_shebang": False,
        "convert_posargs_to_args": not _posonly_beside_kwargs(module),
    }
    lists_names = m.findall(module, m.Call(func=m.Name("dir"), args=[]))
    # Names reached by string: no renaming, and no new globals from hoisting. Annotations that
    # are read may be source text (PEP 563, string annotations): renaming would show there too.
    if facts.dynamic.names_frozen or lists_names or facts.reads_annotations:
        options.update(rename_globals=False, rename_locals=False, hoist_literals=False)
    preserved = _observable_definition_names(module, facts)
    if preserved:
        options["preserve_globals"] = options["preserve_locals"] = sorted(preserved)
    return options


def _posonly_beside_kwargs(module: cst.Module) -> bool:
    """``def f(a, /, **kw)`` accepts ``f(1, a=2)``; made ordinary, ``a`` would clash."""
    return any(
        node.params.posonly_params and node.params.star_kwarg is not None
        for node in m.findall(module, m.FunctionDef() | m.Lambda())
    )


def _observable_definition_names(module: cst.Module, facts: Vocabulary) -> set[str]:
    """Class and function names the program could print. A class with a base, a decorator or a
    metaclass may inherit a repr or str that shows its name (Enum, NamedTuple, dataclass,
    exceptions), so those keep theirs too."""
    names = set()
    for node in m.findall(module, m.ClassDef()):
        if facts.reads_class_names or node.bases or node.keywords or node.decorators:
            names.add(node.name.value)
    if facts.reads_function_names:
        names.update(node.name.value for node in m.findall(module, m.FunctionDef()))
    return names
