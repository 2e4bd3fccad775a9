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


# --- builds with --bundle --------------------------------------------------------------------------

from golfkit.build import Builder  # noqa: E402
from golfkit.options import Options  # noqa: E402
from golfkit.passes import default_pipeline  # noqa: E402

BRANCHY_MAIN = ("import graph\nimport os\n\nmode = 'fast'\nif mode == 'slow':\n    print('never taken')\n"
                "else:\n    print('taken', graph.edges(2))\n")


def build_folder(tmp_path, main: str, files: dict[str, str], bundle: bool, passes=("contract-prune", "strip", "minify")):
    folder = tmp_path / "project"
    for name, text in {"main.py": main, **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    options = Options(source=folder / "main.py", out_dir=tmp_path / "build", cache_dir=tmp_path / "cache",
                      precheck_python="none", max_rounds=1, codecs=("zlib",), bundle=bundle, jobs=2)
    return Builder(options, passes=default_pipeline(passes) if passes else None).build()


def test_a_bundled_build_ships_one_file_that_runs_alone(tmp_path):
    outcome = build_folder(tmp_path, BRANCHY_MAIN, CHAIN, bundle=True)
    report = outcome.report
    assert report["bundled"] == ["graph", "util"] and "modules_note" not in report
    first = report["stages"][0]
    assert (first["name"], first["verdict"]) == ("bundle", "verified")
    final = outcome.final_path.read_text()
    expected = run(BRANCHY_MAIN, CHAIN)
    assert judge(run(final), expected) == "identical"  # alone: no module file in its folder
    # The program's trace moved below the import hook: contract pruning still drops the branch.
    prune = next(stage for stage in report["stages"] if stage["name"] == "contract-prune")
    assert prune["verdict"] == "verified" and "never taken" not in final


def test_without_bundle_the_modules_ship_as_they_are_and_the_report_says_so(tmp_path):
    outcome = build_folder(tmp_path, BRANCHY_MAIN, CHAIN, bundle=False)
    assert outcome.report["bundled"] is None and "ship as they are" in outcome.report["modules_note"]
    assert outcome.report["stages"][0]["name"] != "bundle"


def test_bundle_with_no_module_builds_as_usual(tmp_path):
    outcome = build_folder(tmp_path, "print('alone')\n", {}, bundle=True)
    assert outcome.report["bundled"] is None and outcome.report["stages"][0]["name"] != "bundle"


def test_the_whole_pipeline_golfs_a_bundled_program_and_renames_its_names(tmp_path):
    outcome = build_folder(tmp_path, PACKAGE_MAIN, PACKAGE, bundle=True, passes=None)
    final = outcome.final_path.read_text()
    assert judge(run(final), run(PACKAGE_MAIN, PACKAGE)) == "identical"
    rename = next(stage for stage in outcome.report["stages"] if stage["name"] == "rename")
    assert rename["verdict"] in ("verified", "partial") and outcome.report["final"]["verified"]
