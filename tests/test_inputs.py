"""Inputs are never silently assumed empty: where a program reads stdin, its arguments or the
environment (found statically, confirmed by the reference's probed run), and the build's refusal
without cases, or its going on under --assume-no-input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from golfkit.analysis import input_reads
from golfkit.build import Builder
from golfkit.cases import Case
from golfkit.errors import GolfkitError
from golfkit.options import Options
from golfkit.report import stage_table
from golfkit.runner import RunLimits, RunSpec, run_program
from golfkit.verify import judge
from tests.conftest import ROOT
from tests.passes_for_tests import DropCommentsPass


def reads(source: str) -> list[tuple[int, str, str]]:
    return [(read.line, read.what, read.kind) for read in input_reads(source)]


@pytest.mark.parametrize(("source", "expected"), [
    ("import sys\ntext = sys.stdin.read()\n", [(2, "sys.stdin", "stdin")]),
    ("import sys\nfor line in sys.stdin:\n    print(line)\n", [(2, "sys.stdin", "stdin")]),
    ("import sys\ndata = sys.stdin.buffer.read()\n", [(2, "sys.stdin", "stdin")]),
    ("import sys as s\nline = s.stdin.readline()\n", [(2, "sys.stdin", "stdin")]),
    ("from sys import stdin\nprint(stdin.read())\n", [(2, "sys.stdin", "stdin")]),
    ("from sys import argv as arguments\nprint(arguments[1:])\n", [(2, "sys.argv", "its arguments")]),
    ("import sys\nprint(len(sys.argv))\n", [(2, "sys.argv", "its arguments")]),
    ("name = input()\n", [(1, "input()", "stdin")]),
    ("text = open(0).read()\n", [(1, "open(0)", "stdin")]),
    ("import os\ntext = os.fdopen(0).read()\n", [(2, "open(0)", "stdin")]),
    ("text = open('/dev/stdin').read()\n", [(1, "/dev/stdin", "stdin")]),
    ("import fileinput\nfor line in fileinput.input():\n    pass\n", [(2, "fileinput", "its arguments")]),
    ("import os\nhome = os.environ['HOME']\n", [(2, "os.environ", "the environment")]),
    ("import os\nhome = os.getenv('HOME')\n", [(2, "os.getenv", "the environment")]),
    ("import os\nhome = os.environb.get(b'HOME')\n", [(2, "os.environb", "the environment")]),
    ("from os import environ\nprint(environ.get('X'))\n", [(2, "os.environ", "the environment")]),
    ("import argparse\nparser = argparse.ArgumentParser()\n", [(2, "argparse", "its arguments")]),
    ("import getopt\ngetopt.getopt([], 'a')\n", [(2, "getopt", "its arguments")]),
    ("from sys import *\n", [(1, "from sys import *", "stdin")]),
    ("def main():\n    import sys\n    return sys.stdin.read()\n", [(3, "sys.stdin", "stdin")]),
])
def test_reads_are_found_through_imports_and_aliases(source, expected):
    assert reads(source) == expected


@pytest.mark.parametrize("source", [
    "import sys\nprint('x', file=sys.stderr)\nsys.stdout.write('y')\n",
    "def input():\n    return 'mine'\nprint(input())\n",  # the program's own input, not the builtin
    "argv = ['a']\nprint(argv)\n",  # a name of its own, not sys.argv
    "import os\nos.environ['PYTHONHASHSEED'] = '0'\ndel os.environ['PYTHONHASHSEED']\n",  # written, not read
    "print(open('input.txt').read())\n",
    "print(open(1, 'w'))\n",
    "x = (\n",  # does not parse: nothing to say
])
def test_what_reads_no_input_is_not_a_read(source):
    assert reads(source) == []


def test_the_project_reference_reads_no_input():
    assert input_reads((ROOT / "reference" / "microgpt.py").read_text("utf-8")) == ()


# -- builds ----------------------------------------------------------------------------------------


STDIN_BRANCHES = """\
import sys

text = sys.stdin.read()
if text.startswith("hello"):
    print("greeting:", text.split()[1:])
else:
    print("other:", len(text))
print("done")
"""


def golfkit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def test_a_stdin_program_without_cases_is_refused_naming_the_options(workdir):
    (workdir / "prog.py").write_text(STDIN_BRANCHES)
    result = golfkit("build", "prog.py", "--passes", "contract-prune", "--no-pack", "-q", cwd=workdir)
    assert result.returncode == 5
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line == ("golfkit: error: prog.py reads stdin (sys.stdin at line 3) but no test case gives any input: "
                    "add cases with --case 'ARGS', --case-stdin FILE or --cases FILE, or pass --assume-no-input to "
                    "golf it for an empty stdin and no arguments")
    assert not (workdir / "build").exists()


def test_a_stdin_program_with_two_stdin_cases_keeps_both_branches_and_verifies(workdir):
    (workdir / "prog.py").write_text(STDIN_BRANCHES)
    (workdir / "hello.txt").write_text("hello big world\n")
    (workdir / "other.txt").write_text("something else\n")
    result = golfkit("build", "prog.py", "--case-stdin", "hello.txt", "--case-stdin", "other.txt",
                     "--passes", "contract-prune,strip", "--no-pack", "--jobs", "2", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [case["stdin_file"] for case in report["cases"]] == ["hello.txt", "other.txt"]
    golfed = workdir / "build" / "chars" / "prog.py"
    assert "greeting:" in golfed.read_text() and "other:" in golfed.read_text()
    for name in ("hello.txt", "other.txt", None):
        case = Case(stdin=(workdir / name).read_bytes() if name else b"")
        expected = run_program(case.applied(RunSpec((workdir / "prog.py").read_bytes(), "prog.py")),
                               sys.executable, RunLimits(timeout=60))
        actual = run_program(case.applied(RunSpec(golfed.read_bytes(), "prog.py")), sys.executable,
                             RunLimits(timeout=60))
        assert judge(actual, expected) == "identical"


def test_a_read_the_run_never_reaches_is_not_confirmed(workdir, cache_dir):
    (workdir / "prog.py").write_text("import sys\n\ndef ask():\n    return input()\n\n# greet\nprint('hello')\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=1, contract=False)
    report = Builder(options, passes=[DropCommentsPass()]).build().report
    assert report["input_reads"] == ["input() at line 4"] and not report["assumed_no_input"]
    assert report["stages"][0]["verdict"] == "verified"


def test_without_a_trace_the_static_finding_decides(workdir, cache_dir):
    # A warning shows its line number, so the probed run's log differs and gives no trace.
    (workdir / "prog.py").write_text("import warnings\n\ndef ask():\n    return input()\n\n"
                                     "warnings.warn('careful')\nprint('hello')\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=1)
    with pytest.raises(GolfkitError, match=r"prog\.py reads stdin \(input\(\) at line 4\) but no test case") as refused:
        Builder(options, passes=[DropCommentsPass()]).build()
    assert refused.value.exit_code == 5


def test_assume_no_input_goes_on_and_the_report_says_so_on_top(workdir, cache_dir):
    (workdir / "prog.py").write_text("import sys\n# arguments, if any\nprint('args:', sys.argv[1:])\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=1)
    with pytest.raises(GolfkitError, match=r"reads its arguments \(sys\.argv at line 3\)"):
        Builder(options, passes=[DropCommentsPass()]).build()
    report = Builder(options.replace(assume_no_input=True), passes=[DropCommentsPass()]).build().report
    assert report["assumed_no_input"] and report["input_reads"] == ["sys.argv at line 3"]
    assert list(report).index("assumed_no_input") < list(report).index("stages")
    assert "ASSUMING NO INPUT: empty stdin, no arguments (sys.argv at line 3)" in stage_table(report).title
    assert report["stages"][0]["verdict"] == "verified"


def test_assume_no_input_is_a_build_flag(workdir):
    (workdir / "prog.py").write_text("import os\nprint(os.environ.get('GOLFKIT_NO_SUCH_VARIABLE', 'unset'))\n")
    refused = golfkit("build", "prog.py", "--passes", "strip", "--no-pack", cwd=workdir)
    assert refused.returncode == 5 and "reads the environment (os.environ at line 2)" in refused.stderr
    result = golfkit("build", "prog.py", "--assume-no-input", "--passes", "strip", "--no-pack", "--json", cwd=workdir)
    assert result.returncode == 0 and json.loads(result.stdout)["assumed_no_input"]
