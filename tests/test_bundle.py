"""--bundle: the program and its local modules as one file that runs alone, as it ran with them."""

import pytest

from golfkit.bundle import bundle_program, hook_prefix, module_table
from golfkit.errors import SourceError
from golfkit.runner import RunLimits, RunSpec, run_program
from golfkit.verify import judge

import sys


def run(program: str, files: dict[str, str] | None = None):
    modules = tuple((name, text.encode("utf-8")) for name, text in (files or {}).items())
    return run_program(RunSpec(program.encode("utf-8"), "main.py", modules=modules),
                       sys.executable, RunLimits(timeout=60, memory_limit_mb=None))


def copies(files: dict[str, str]):
    return tuple((name, text.encode("utf-8")) for name, text in sorted(files.items()))


def assert_bundle_runs_alone_as_before(program: str, files: dict[str, str]):
    expected = run(program, files)
    assert expected.returncode == 0, expected.stderr.decode()
    bundled = bundle_program(program, copies(files))
    for text in (bundled.text, bundled.plain):
        assert judge(run(text), expected) == "identical", run(text).stderr.decode()
    return bundled


CHAIN = {
    "graph.py": "import util\n\ncounter = 0\n\n\ndef edges(n):\n    global counter\n    counter += 1\n"
                "    return [(i, util.twice(i)) for i in range(n)]\n",
    "util.py": '"""Small helpers."""\n\n\ndef twice(value):\n    doubled = value * 2\n    return doubled\n',
}
CHAIN_MAIN = ("import graph\nfrom util import twice\n\nprint(graph.edges(3), twice(5))\ngraph.counter += 10\n"
              "print(graph.edges(1), graph.counter, graph.util.__doc__, graph.__name__)\n")

PACKAGE = {
    "shapes/__init__.py": "from . import core\nfrom .core import area\n\nNAME = 'shapes'\n",
    "shapes/core.py": "def area(width, height):\n    return width * height\n\n\nUNIT = 'm2'\n",
    "plugins/extra.py": "import os\n\nWHERE = os.path.basename(__file__)\n",  # a folder without __init__.py
}
PACKAGE_MAIN = ("import shapes\nimport shapes.core as core\nfrom shapes.core import UNIT\n\n\ndef late():\n"
                "    from plugins import extra\n    return extra.WHERE, extra.__name__\n\n\n"
                "print(shapes.area(2, 3), core.UNIT, UNIT, shapes.NAME, shapes.core is core)\nprint(late())\n")


def test_modules_importing_each_other_are_served_from_inside_the_program():
    bundled = assert_bundle_runs_alone_as_before(CHAIN_MAIN, CHAIN)
    assert bundled.modules == ("graph", "util")
    assert "import graph" in bundled.text and len(bundled.text) < len(bundled.plain)


def test_packages_relative_imports_namespace_folders_and_late_imports():
    bundled = assert_bundle_runs_alone_as_before(PACKAGE_MAIN, PACKAGE)
    assert set(bundled.modules) == {"shapes", "shapes.core", "plugins", "plugins.extra"}


def test_the_docstring_and_future_imports_stay_first():
    program = ('"""Prints its own docstring."""\nfrom __future__ import annotations\nimport graph\n\n'
               "print(__doc__, graph.edges(2))\n")
    bundled = assert_bundle_runs_alone_as_before(program, CHAIN)
    assert bundled.text.startswith('"""Prints its own docstring."""\nfrom __future__ import annotations\n')


def test_the_hook_takes_a_prefix_the_program_does_not_use():
    assert hook_prefix("x = 1") == "_golfkit_"
    assert hook_prefix("_golfkit_x = 1") == "__golfkit_"
    program = "_golfkit_modules = 'mine'\nimport util\nprint(_golfkit_modules, util.twice(4))\n"
    bundled = assert_bundle_runs_alone_as_before(program, CHAIN)
    assert "__golfkit_modules" in bundled.text


def test_a_module_python_minifier_refuses_goes_as_written():
    files = {"odd.py": "VALUE = 1\nprint('loaded', VALUE)\n"}
    assert_bundle_runs_alone_as_before("import odd\nprint(odd.VALUE)\n", files)


def test_nothing_to_bundle_and_unparsable_programs():
    assert bundle_program("print(1)\n", ()) is None
    with pytest.raises(SourceError, match="does not parse"):
        bundle_program("print(\n", copies(CHAIN))
    with pytest.raises(SourceError, match="not UTF-8"):
        module_table((("bad.py", b"\xff\xfe"),))


def test_module_table_lists_packages_above_the_files():
    table = module_table(copies(PACKAGE))
    assert table["plugins"] == ("", True, None)
    assert table["shapes"][1] and table["shapes"][2] == "shapes/__init__.py"
    assert table["shapes.core"][1] is False
