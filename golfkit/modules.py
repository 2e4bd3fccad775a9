"""The local modules a program needs, so that a program split over several files runs in a run folder.

A module is local when it is a ``.py`` file or a package folder (with ``__init__.py``, or without:
a namespace package) under the program's own folder, which is where Python looks first for the
program's imports. The finder reads imports only, by parsing each file with ``ast``: ``import a``,
``import a.b``, ``from a import b`` (``b`` may be a submodule), ``from . import x`` and
``from .m import y`` inside packages, ``__import__("a")`` and ``importlib.import_module("a")``
with a literal name, anywhere in a file (in functions and branches too), and follows them through
every module found. An import it cannot find locally is left to Python: the standard library or
an installed package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from golfkit.errors import SourceError

__all__ = ["find_local_modules", "local_module_copies", "merge_copies"]

# Calls that import a module named by their first argument.
_IMPORT_CALLS = frozenset({"__import__", "import_module"})


@dataclass(frozen=True)
class _Found:
    """Where a dotted name resolves: a file module, or a package folder and its ``__init__.py``
    (None for a namespace package)."""

    folder: Path | None  # the package's folder; None for a plain module
    file: Path | None  # the code to read and copy; None for a namespace package


def find_local_modules(source_path: Path) -> list[Path]:
    """The files of every local module ``source_path`` needs, transitively, as paths relative to
    its folder, sorted; the program itself is never among them."""
    root = source_path.parent
    program = source_path.resolve()
    found: dict[Path, None] = {}
    read: set[Path] = set()
    pending: list[tuple[Path, str]] = [(source_path, "")]  # a file to read and its package
    while pending:
        path, package = pending.pop()
        if path.resolve() in read:
            continue  # import cycles end here
        read.add(path.resolve())
        for name in _imported_names(root, path, package):
            for module_name, located in _resolve(root, name):
                if located.file is None or located.file.resolve() == program:
                    continue
                found[located.file.relative_to(root)] = None
                is_package = located.folder is not None
                pending.append((located.file, module_name if is_package else module_name.rpartition(".")[0]))
    return sorted(found, key=lambda relative: relative.as_posix())


def local_module_copies(source_path: Path) -> tuple[tuple[str, bytes], ...]:
    """The local modules ``source_path`` needs, as (path relative to its folder, bytes): what every
    run folder holds beside the program, exactly as in the user's folder."""
    root = source_path.parent
    copies = []
    for relative in find_local_modules(source_path):
        try:
            copies.append((relative.as_posix(), (root / relative).read_bytes()))
        except OSError as error:
            raise SourceError(f"{root / relative}: cannot read a module {source_path.name} imports "
                              f"({error.strerror})") from None
    return tuple(copies)


def merge_copies(first: tuple[tuple[str, bytes], ...],
                 second: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """``first``'s modules, then those of ``second`` at paths ``first`` does not hold (e.g. a golfed
    candidate's own modules, then those of the reference it was made from)."""
    taken = {name for name, _ in first}
    return first + tuple((name, data) for name, data in second if name not in taken)


def _imported_names(root: Path, path: Path, package: str) -> list[str]:
    """Absolute dotted names that ``path`` (a module of ``package``; "" for the program or a
    top-level module) may import: each imported module, and each ``from`` name as a possible
    submodule. A file that does not parse imports nothing here (its run shows the error)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            if base is None:
                continue
            if base:
                names.append(base)
            names += [f"{base}.{alias.name}" if base else alias.name for alias in node.names if alias.name != "*"]
            if any(alias.name == "*" for alias in node.names):
                names += [f"{base}.{name}" for name in _star_names(root, base)]
        elif isinstance(node, ast.Call) and _call_name(node.func) in _IMPORT_CALLS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and not first.value.startswith("."):
                names.append(first.value)
    return names


def _absolute(module: str | None, level: int, package: str) -> str | None:
    """The absolute name a ``from`` import refers to; None when a relative import reaches above
    the top package (Python refuses it too)."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level > len(parts):
        return None
    base = parts[:len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _star_names(root: Path, base: str) -> list[str]:
    """What ``from base import *`` may import as submodules: the names in a literal ``__all__``
    of the local package ``base``."""
    resolved = _resolve(root, base) if base else []
    if not resolved:
        return []
    name, located = resolved[-1]
    if name != base or located.folder is None or located.file is None:
        return []  # not a local package with an __init__.py
    try:
        tree = ast.parse(located.file.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return []
    names: list[str] = []
    for node in tree.body:
        assigns_all = isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)
        if assigns_all and isinstance(node.value, ast.List | ast.Tuple):
            names += [item.value for item in node.value.elts
                      if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return names


def _call_name(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _resolve(root: Path, dotted: str) -> list[tuple[str, _Found]]:
    """Each prefix of ``dotted`` that resolves under ``root`` (importing ``a.b.c`` imports ``a``,
    ``a.b`` and ``a.b.c``), outermost first; stops at the first part that is not local."""
    resolved: list[tuple[str, _Found]] = []
    folder = root
    parts = dotted.split(".")
    for index, part in enumerate(parts):
        if not part.isidentifier():
            break
        located = _locate(folder, part)
        if located is None:
            break
        resolved.append((".".join(parts[:index + 1]), located))
        if located.folder is None:
            break  # a plain module has no submodules
        folder = located.folder
    return resolved


def _locate(folder: Path, name: str) -> _Found | None:
    """Where ``name`` resolves in ``folder``, in the order Python's path finder tries: a package
    with ``__init__.py``, then ``name.py``, then a folder without one (a namespace package)."""
    package = folder / name
    init = package / "__init__.py"
    if init.is_file():
        return _Found(package, init)
    module = folder / f"{name}.py"
    if module.is_file():
        return _Found(None, module)
    if package.is_dir():
        return _Found(package, None)
    return None
