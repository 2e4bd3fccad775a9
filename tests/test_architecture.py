"""Rules of the package's shape: no module reaches into another's private names, no pass depends on
another pass, and no module grows past what one reader can hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "golfkit"
MAX_LINES = 500
# Modules of golfkit/passes/ that are not passes: the shared base and the registry.
NOT_PASSES = {"base", "__init__"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _imported_module(path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted name an ``import from`` statement reads from."""
    if not node.level:
        return node.module or ""
    package = _dotted(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _private_uses(path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    """``from golfkit.x import _name``, and ``alias._name`` where ``alias`` was imported from
    another golfkit module (a module, a class or a function of it)."""
    found = []
    foreign: set[str] = set()  # names bound here to something another golfkit module defines
    own = _dotted(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _imported_module(path, node)
            if not module.startswith("golfkit") or module == own:
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append((node.lineno, f"imports {module}.{alias.name}"))
                foreign.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("golfkit"):
                    foreign.add(alias.asname or alias.name.split(".")[0])
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append((node.lineno, f"imports {alias.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in foreign:
                found.append((node.lineno, f"uses {ast.unparse(node)}"))
    return sorted(found)


def _pass_imports(path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    """Imports of golfkit.passes.* other than the base, by a pass module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _imported_module(path, node)
            names = [f"{module}.{alias.name}" for alias in node.names] if module == "golfkit.passes" else [module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[:2] == ["golfkit", "passes"] and len(parts) > 2 and parts[2] != "base":
                found.append((node.lineno, f"imports {name}"))
            elif parts == ["golfkit", "passes"]:
                found.append((node.lineno, "imports the pass registry"))
    return sorted(found)


def _report(check, paths) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in paths
        for line, what in check(path, _tree(path))
    ]


def test_no_module_uses_another_modules_private_names():
    found = _report(_private_uses, _modules())
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_no_pass_imports_another_pass():
    passes = [path for path in sorted((PACKAGE / "passes").glob("*.py")) if path.stem not in NOT_PASSES]
    assert passes, "no pass modules found"
    found = _report(_pass_imports, passes)
    assert not found, "passes importing other passes:\n" + "\n".join(found)


def test_no_module_is_over_the_line_limit():
    counts = {path: len(path.read_text(encoding="utf-8").splitlines()) for path in _modules()}
    over = [f"{path.relative_to(PACKAGE.parent)}: {count} lines" for path, count in counts.items() if count > MAX_LINES]
    assert not over, f"modules over {MAX_LINES} lines:\n" + "\n".join(over)


def test_the_checks_see_what_they_look_for():
    """The readers catch the forms they are meant to catch, and only those."""
    path = PACKAGE / "passes" / "some_pass.py"
    tree = ast.parse(
        "from golfkit.passes.inline import _atom\n"
        "from golfkit.passes import chain_fold, base\n"
        "from golfkit.pipeline import Pipeline\n"
        "import golfkit.analysis as analysis\n"
        "from .base import Pass\n"
        "from ._helpers import _shared\n"
        "Pipeline._record(1)\n"
        "analysis.facts._private\n"
        "object()._fine\n"
        "Pipeline.__name__\n"
    )
    assert [what for _, what in _private_uses(path, tree)] == [
        "imports golfkit.passes.inline._atom",
        "imports golfkit.passes._helpers._shared",
        "uses Pipeline._record",
        "uses analysis.facts._private",
    ]
    assert [what for _, what in _pass_imports(path, tree)] == [
        "imports golfkit.passes.inline",
        "imports golfkit.passes.chain_fold",
        "imports golfkit.passes._helpers",
    ]


def test_name_search_workers_import_neither_libcst_nor_the_command_line():
    """A spawned worker imports ``golfkit.__main__`` (as ``__mp_main__``) and the module of the
    function it runs: both must stay light, or every worker pays a fraction of a second."""
    import subprocess
    import sys

    probe = (
        "import runpy, sys\n"
        "runpy.run_module('golfkit.__main__', run_name='__mp_main__')\n"
        "import golfkit.name_climb\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'click', 'rich', 'python_minifier')"
        " or m.startswith(('golfkit.rename', 'golfkit.analysis', 'golfkit.cli')))\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
