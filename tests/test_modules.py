"""Local modules: every module a program needs from its own folder, found by following imports
through the modules found, is copied into each run folder, so a program split over files builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.errors import SourceError
from golfkit.modules import find_local_modules, local_module_copies, merge_copies
from golfkit.options import Options
from golfkit.runner import RunSpec, run_program
from tests.passes_for_tests import DropCommentsPass

# The program lists every file of its run folder: the same log from every run proves that each
# run folder held the same modules.
MAIN = """\
# a program split over several files
import os
import tools
from pkg import api
import spaced.deep.leaf

def late():
    # imported only when called
    import lazy
    return lazy.VALUE

# what the run folder holds
print(sorted(os.path.relpath(os.path.join(folder, name)) for folder, _, names in os.walk(".") for name in names))
print(tools.double(21), api.call(), late(), spaced.deep.leaf.LEAF)
"""

FILES = {
    "tools.py": "import graph\ndef double(x):\n    return graph.twice(x)\n",
    "graph.py": "import tools  # a cycle: tools imports graph\ndef twice(x):\n    return 2 * x\n",
    "lazy.py": "VALUE = 7\n",
    "pkg/__init__.py": "",
    "pkg/api.py": "from . import helper\nfrom .core import answer\ndef call():\n    return helper.H + answer()\n",
    "pkg/helper.py": "H = 1\n",
    "pkg/core.py": "def answer():\n    return 41\n",
    "spaced/deep/leaf.py": "LEAF = 'leaf'\n",  # a namespace package: no __init__.py
    "unused.py": "raise SystemExit('never imported')\n",
    "pkg/unused.py": "raise SystemExit('never imported')\n",
}

FOUND = ["graph.py", "lazy.py", "pkg/__init__.py", "pkg/api.py", "pkg/core.py", "pkg/helper.py",
         "spaced/deep/leaf.py", "tools.py"]


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(folder: Path, main: str, files: dict[str, str]) -> list[str]:
    write(folder, {"main.py": main, **files})
    return [path.as_posix() for path in find_local_modules(folder / "main.py")]


def test_the_finder_follows_imports_through_modules_functions_and_packages(tmp_path):
    assert found(tmp_path, MAIN, FILES) == FOUND


def test_copies_hold_each_module_under_its_path_exactly_as_written(tmp_path):
    write(tmp_path, {"main.py": MAIN, **FILES})
    copies = dict(local_module_copies(tmp_path / "main.py"))
    assert sorted(copies) == FOUND
    assert all(copies[name] == (tmp_path / name).read_bytes() for name in FOUND)


def test_a_split_program_runs_with_its_modules(tmp_path):
    write(tmp_path, {"main.py": MAIN, **FILES})
    source = tmp_path / "main.py"
    result = run_program(RunSpec(source.read_bytes(), "main.py", modules=local_module_copies(source)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == b"42 42 7 leaf"


def test_a_split_program_builds_verified_with_its_modules_in_every_run_folder(tmp_path, cache_dir):
    write(tmp_path, {"main.py": MAIN, **FILES})
    options = Options(source=tmp_path / "main.py", out_dir=tmp_path / "build", pack=False, cache_dir=cache_dir,
                      precheck_python="none", jobs=2)
    outcome = Builder(options, passes=[DropCommentsPass()]).build()
    assert [stage["verdict"] for stage in outcome.report["stages"]][0] == "verified"
    assert outcome.report["final"]["verified"] and outcome.report["modules"] == FOUND
    assert outcome.final_path == tmp_path / "build" / "chars" / "main.py"
    assert "# what the run folder holds" not in outcome.final_path.read_text()
    listing = run_program(RunSpec(outcome.final_path.read_bytes(), "main.py",
                                  modules=local_module_copies(tmp_path / "main.py"))).stdout.splitlines()[0]
    assert listing.decode() == repr(sorted(["main.py", *FOUND]))


def test_from_package_import_names_a_submodule_or_a_value(tmp_path):
    files = {"shapes/__init__.py": "SIDES = 4\n", "shapes/square.py": "from .. import nothing\n",
             "shapes/circle.py": "R = 1\n"}
    assert found(tmp_path, "from shapes import SIDES, square\n", files) == ["shapes/__init__.py",
                                                                               "shapes/square.py"]


def test_relative_imports_resolve_against_the_importing_modules_package(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/views/__init__.py": "from ..models import user\nfrom . import page\n",
        "app/views/page.py": "from ...outside import x\n",  # above the top package: Python refuses it too
        "app/models/__init__.py": "",
        "app/models/user.py": "from .base import Base\n",
        "app/models/base.py": "Base = object\n",
        "outside.py": "x = 1\n",
    }
    assert found(tmp_path, "import app.views\n", files) == [
        "app/__init__.py", "app/models/__init__.py", "app/models/base.py", "app/models/user.py",
        "app/views/__init__.py", "app/views/page.py"]


def test_the_program_itself_and_missing_or_installed_modules_are_not_listed(tmp_path):
    files = {"util.py": "import main\nimport nothere\nimport json\n"}
    main = "import util, os, nothere_either\nfrom nowhere import thing\n"
    assert found(tmp_path, main, files) == ["util.py"]


def test_a_relative_import_in_the_program_itself_is_left_to_python(tmp_path):
    assert found(tmp_path, "from . import sibling\n", {"sibling.py": "X = 1\n"}) == []


def test_python_lookup_order_package_then_module_then_namespace(tmp_path):
    files = {"both/__init__.py": "", "both.py": "X = 1\n", "plain.py": "Y = 2\n", "plain/other.py": "Z = 3\n"}
    assert found(tmp_path, "import both, plain\n", files) == ["both/__init__.py", "plain.py"]


def test_literal_dynamic_imports_and_star_imports_with_all(tmp_path):
    files = {"dyn.py": "", "dyn2.py": "", "kit/__init__.py": "__all__ = ['tool', 'VALUE']\nVALUE = 1\n",
             "kit/tool.py": "", "kit/other.py": ""}
    main = "import importlib\nimportlib.import_module('dyn')\n__import__('dyn2')\nfrom kit import *\n"
    assert found(tmp_path, main, files) == ["dyn.py", "dyn2.py", "kit/__init__.py", "kit/tool.py"]


def test_a_module_that_does_not_parse_is_copied_without_following_it(tmp_path):
    files = {"broken.py": "import deeper\nprint(\n", "deeper.py": ""}
    assert found(tmp_path, "import broken\n", files) == ["broken.py"]


def test_a_program_that_does_not_parse_needs_nothing(tmp_path):
    assert found(tmp_path, "import tools\nprint(\n", {"tools.py": ""}) == []


def test_merged_copies_keep_the_first_and_add_the_rest():
    first = (("a.py", b"1"), ("b.py", b"2"))
    second = (("b.py", b"other"), ("c.py", b"3"))
    assert merge_copies(first, second) == (("a.py", b"1"), ("b.py", b"2"), ("c.py", b"3"))


def test_verify_and_compare_find_the_reference_modules_for_a_golfed_file_kept_elsewhere(tmp_path):
    write(tmp_path, {"main.py": MAIN.replace("print(sorted", "print(0 and sorted"), **FILES})
    elsewhere = tmp_path / "golfed"
    elsewhere.mkdir()
    (elsewhere / "main.py").write_text("import tools\nfrom pkg import api\nimport spaced.deep.leaf\nimport lazy\n"
                                       "print(0)\nprint(tools.double(21),api.call(),lazy.VALUE,spaced.deep.leaf.LEAF)\n")
    for command in (["verify", "golfed/main.py", "--reference", "main.py"],
                    ["compare", "golfed/main.py", "--reference", "main.py", "--results", str(tmp_path / "runs")]):
        result = subprocess.run([sys.executable, "-m", "golfkit", *command, "--cache-dir", str(tmp_path / "c")],
                                cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (command, result.stdout, result.stderr)


def test_an_unreadable_module_is_a_one_line_source_error(tmp_path, monkeypatch):
    write(tmp_path, {"main.py": "import secret\n", "secret.py": "X = 1\n"})
    real_read = Path.read_bytes

    def read_bytes(path):
        if path.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(SourceError, match=r"secret\.py: cannot read a module main\.py imports \(Permission denied\)"):
        local_module_copies(tmp_path / "main.py")
