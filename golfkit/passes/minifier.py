"""minify: python-minifier over the whole module, with the option sets that pay.

One site per option set whose result is shorter than the input (UTF-8 bytes), in the fixed order
of OPTION_SETS, keyed by the set's name; the shortest result among the enabled sets is kept.
"""

from __future__ import annotations

import libcst as cst
import python_minifier

from golfkit.analysis import ProgramFacts
from golfkit.passes.base import Pass, PassContext, Safety, Site, Skip


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

    metadata = ()
    example = (
        "def average(values):\n    total = 0\n    for value in values:\n        total += value\n"
        "    return total / len(values)\nprint(average([3, 5, 7]))\n",
        "def A(values):\n\tA=values;B=0\n\tfor C in A:B+=C\n\treturn B/len(A)\nprint(A([3,5,7]))",
    )

    def find_sites(self, facts: ProgramFacts, context: PassContext) -> list[Site]:
        source, common = facts.module.code, _common_options(facts, context.kept_names)
        # Sets that the program's own facts make alike (renaming off everywhere) run once.
        outputs: dict[tuple, str | None] = {}
        results = []
        for name, options in OPTION_SETS:
            effective = {**options, **common}
            key = tuple(sorted((option, repr(value)) for option, value in effective.items()))
            if key not in outputs:
                outputs[key] = _minify(source, effective)
            results.append((name, outputs[key]))
        if all(result is None for _, result in results):
            raise Skip("python-minifier refuses the program with every option set")
        # A set is offered only when its result is shorter on its own (UTF-8 bytes).
        return [Site(result, name) for name, result in results if result is not None and _size(result) < _size(source)]

    def rewrite(self, facts: ProgramFacts, sites: list[Site], context: PassContext) -> str:
        # The shortest enabled result; the first set listed wins a tie.
        return min((site.target for site in sites), key=_size)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _minify(source: str, options: dict) -> str | None:
    # python-minifier extends the preserve lists it is given in place: fresh copies keep the
    # option sets (and their de-duplication keys) as they were.
    options = {name: list(value) if isinstance(value, list) else value for name, value in options.items()}
    try:
        result = python_minifier.minify(source, **options)
        compile(result, "<minified>", "exec")
    except Exception:  # python-minifier refuses some inputs; that option set then offers nothing
        return None
    return result


def _common_options(facts: ProgramFacts, kept_names: frozenset[str] = frozenset()) -> dict:
    words = facts.vocabulary
    options = {
        # Annotations are strip's business: it knows when one makes a name local or is read.
        "remove_annotations": False,
        "remove_literal_statements": not words.reads_docstrings,
        "remove_asserts": False,
        "remove_debug": False,
        "preserve_shebang": False,
        "convert_posargs_to_args": not _posonly_beside_kwargs(facts),
    }
    lists_names = any(isinstance(call.func, cst.Name) and call.func.value == "dir" and not call.args
                      for call in facts.nodes(cst.Call))
    # Names reached by string: no renaming, and no new globals from hoisting. Annotations that
    # are read may be source text (PEP 563, string annotations): renaming would show there too.
    if words.dynamic.names_frozen or lists_names or words.reads_annotations:
        options.update(rename_globals=False, rename_locals=False, hoist_literals=False)
    preserved = _observable_definition_names(facts) | kept_names
    if preserved:
        options["preserve_globals"] = options["preserve_locals"] = sorted(preserved)
    return options


def _posonly_beside_kwargs(facts: ProgramFacts) -> bool:
    """``def f(a, /, **kw)`` accepts ``f(1, a=2)``; made ordinary, ``a`` would clash."""
    return any(
        node.params.posonly_params and node.params.star_kwarg is not None
        for node in facts.nodes(cst.FunctionDef, cst.Lambda)
    )


def _observable_definition_names(facts: ProgramFacts) -> set[str]:
    """Class and function names the program could print. A class with a base, a decorator or a
    metaclass may inherit a repr or str that shows its name (Enum, NamedTuple, dataclass,
    exceptions), so those keep theirs too."""
    words, names = facts.vocabulary, set()
    for node in facts.classes:
        if words.reads_class_names or node.bases or node.keywords or node.decorators:
            names.add(node.name.value)
    if words.reads_function_names:
        names.update(node.name.value for node in facts.functions)
    return names
