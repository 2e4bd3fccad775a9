"""``--bundle``: a program and its local modules as one file that runs alone.

Each local module the program needs (golfkit.modules) travels inside the program, and a small
import hook placed after the program's docstring and ``__future__`` imports serves them: ``import graph``, ``from pkg.core import f``, relative imports
inside packages and imports made later from inside functions all find the module they found
before, executed at the same moment, once, as a module object of its own. So module names stay
apart exactly as they were, and every attribute a module exposes is reachable as before (``graph.x
= 1`` included). A module sees its ``__name__``, its package's ``__path__`` and a ``__file__``
beside the program, so it can still open data files shipped with ``--data``.

Module texts are compacted by python-minifier without renaming anything a module exposes (locals
only); should that text fail, the build verifies the modules as written. The import hook's own
names start with ``_golfkit_`` (another prefix when the program uses that one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import libcst as cst

from golfkit.errors import SourceError

# The hook: a finder and a loader as plain namespaces, so renaming passes see only names of
# their own to shorten and keyword names of library calls, which they keep. importlib's own
# InspectLoader compiles and runs each module: the program spells no exec, compile or __dict__,
# which would make every name of it unrenamable.
HOOK = '''\
import sys as {p}sys, types as {p}types, importlib.abc as {p}abc, importlib.util as {p}util, os.path as {p}path
{p}modules = {modules}
{p}root = {p}path.dirname({p}path.abspath(__file__))


def {p}find(name, path=None, target=None):
    if name in {p}modules:
        _, package, where = {p}modules[name]
        spec = {p}util.spec_from_loader(name, {p}loader, origin=where and {p}path.join({p}root, where),
                                         is_package=package)
        spec.has_location = bool(where)
        return spec


{p}loader = {p}types.SimpleNamespace(
    create_module=lambda spec: None,
    exec_module=lambda module: {p}abc.InspectLoader.exec_module({p}loader, module),
    get_code=lambda name: {p}abc.InspectLoader.source_to_code({p}modules[name][0], {p}modules[name][2] or name),
    get_source=lambda name: {p}modules[name][0])
{p}sys.meta_path.insert(0, {p}types.SimpleNamespace(find_spec={p}find))
'''


@dataclass(frozen=True)
class Bundle:
    """The program with its modules inside: ``text`` with compacted module texts, ``plain`` with the
    modules as written (the fallback), and the modules' dotted names. The hook takes lines
    ``hook_start + 1`` to ``hook_start + hook_lines`` of either text; the program's own lines
    after ``hook_start`` move down by ``hook_lines``."""

    text: str
    plain: str
    modules: tuple[str, ...]
    hook_start: int = 0
    hook_lines: int = 0

    def executed_lines(self, lines: frozenset[int]) -> frozenset[int]:
        """The program's executed lines (a traced run's) as lines of the bundled text; the hook's
        own lines all run (its functions run whenever a module is imported)."""
        moved = {line if line <= self.hook_start else line + self.hook_lines for line in lines}
        return frozenset(moved | set(range(self.hook_start + 1, self.hook_start + self.hook_lines + 1)))


def module_table(copies: tuple[tuple[str, bytes], ...]) -> dict[str, tuple[str, bool, str | None]]:
    """Dotted name -> (source, is a package, path relative to the program's folder or None), for
    the copied module files and every package folder above them (a folder without ``__init__.py``
    becomes an empty package)."""
    table: dict[str, tuple[str, bool, str | None]] = {}
    for relative, data in copies:
        path = PurePosixPath(relative)
        parts = path.with_suffix("").parts
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(f"{relative}: a local module that is not UTF-8 cannot be bundled") from None
        if parts[-1] == "__init__":
            table[".".join(parts[:-1])] = (text, True, relative)
        else:
            table[".".join(parts)] = (text, False, relative)
    for name in list(table):
        pieces = name.split(".")
        for depth in range(1, len(pieces)):
            table.setdefault(".".join(pieces[:depth]), ("", True, None))
    return table


def compact_module(text: str) -> str:
    """A module's text shortened by python-minifier without renaming what it exposes; the text
    itself when python-minifier refuses it."""
    import python_minifier

    try:
        result = python_minifier.minify(
            text, rename_globals=False, rename_locals=True, hoist_literals=False,
            remove_literal_statements=False, remove_annotations=False, remove_asserts=False,
            remove_debug=False, preserve_shebang=False, convert_posargs_to_args=False,
        )
        compile(result, "<module>", "exec")
    except Exception:  # python-minifier refuses some inputs: the module goes as written
        return text
    return result if len(result) < len(text) else text


def hook_prefix(program: str) -> str:
    """``_golfkit_``, or a longer prefix no name of the program starts with."""
    prefix = "_golfkit_"
    while prefix in program:
        prefix = "_" + prefix
    return prefix


def insertion_point(module: cst.Module) -> int:
    """How many leading statements stay before the hook: the docstring and ``__future__`` imports."""
    index = 0
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            break
        small = statement.body[0]
        is_docstring = index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
        is_future = (isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name)
                     and small.module.value == "__future__")
        if not (is_docstring or is_future):
            break
        index += 1
    return index


def bundle_program(program: str, copies: tuple[tuple[str, bytes], ...]) -> Bundle | None:
    """``program`` with the modules ``copies`` holds (golfkit.modules.local_module_copies) served
    from inside it; None when there is no module to bundle."""
    if not copies:
        return None
    try:
        module = cst.parse_module(program)
    except cst.ParserSyntaxError as error:
        raise SourceError(f"the program does not parse: {error.message}") from None
    table = module_table(copies)
    prefix = hook_prefix(program + "".join(text for text, _, _ in table.values()))

    split = insertion_point(module)
    before = module.with_changes(body=module.body[:split]).code if split else ""

    def with_hook(compact: bool) -> tuple[str, int]:
        entries = {name: (compact_module(text) if compact and text else text, package, where)
                   for name, (text, package, where) in table.items()}
        hook = cst.parse_module(HOOK.format(p=prefix, modules=repr(entries)))
        text = module.with_changes(body=[*module.body[:split], *hook.body, *module.body[split:]]).code
        return text, len(text.splitlines()) - len(program.splitlines())

    (text, hook_lines), (plain, _) = with_hook(True), with_hook(False)
    return Bundle(text, plain, tuple(table), len(before.splitlines()), hook_lines)
