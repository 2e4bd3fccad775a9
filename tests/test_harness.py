"""Harness mode: the golfed program is a module a harness imports and judges, as the 2025 Code Golf
Championship judged a module's ``p(grid)`` on example grids from a JSON file."""

import json
import sys

import libcst as cst
import pytest
import python_minifier

from golfkit.build import Builder
from golfkit.errors import GolfkitError
from golfkit.options import Options
from golfkit.passes import default_pipeline
from golfkit.passes.base import Pass, Safety, Site
from golfkit.runner import RunLimits, RunSpec, run_program

SOLUTION = '''\
"""Rotate the grid a quarter turn clockwise, then double every cell."""


def rotate(grid):
    turned = [list(row) for row in zip(*grid[::-1])]
    return turned


def double(rows):
    return [[cell * 2 for cell in row] for row in rows]


def p(g):
    result = rotate(g)
    return double(result)
'''

HARNESS = '''\
import json

import solution

with open("examples.json") as handle:
    examples = json.load(handle)
for number, example in enumerate(examples):
    got = solution.p(example["input"])
    print(number, got == example["output"], got)
'''

EXAMPLES = [{"input": [[1, 2], [3, 4]], "output": [[6, 2], [8, 4]]},
            {"input": [[0, 1, 2]], "output": [[0], [2], [4]]},
            {"input": [[5]], "output": [[10]]}]


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "task"
    folder.mkdir()
    (folder / "solution.py").write_text(SOLUTION)
    (folder / "judge.py").write_text(HARNESS)
    (folder / "examples.json").write_text(json.dumps(EXAMPLES))
    return folder


def build(folder, tmp_path, passes=None, **changes):
    settings = dict(source=folder / "solution.py", harness=folder / "judge.py", keep=("p",), out_dir=tmp_path / "build",
                    cache_dir=tmp_path / "cache", precheck_python="none", codecs=("zlib",), jobs=2)
    options = Options(**{**settings, **changes})
    return Builder(options, data=(folder / "examples.json",), passes=passes).build()


def judged(folder, module_text: str) -> bytes:
    """The harness's output with ``module_text`` as solution.py."""
    spec = RunSpec(HARNESS.encode(), "judge.py", (folder / "examples.json",), (("solution.py", module_text.encode()),))
    result = run_program(spec, sys.executable, RunLimits(timeout=60, memory_limit_mb=None))
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_the_golfed_module_keeps_what_the_harness_uses_and_prints_the_same(project, tmp_path):
    outcome = build(project, tmp_path, pack=False)
    golfed = outcome.final_path.read_text()
    assert outcome.final_path.name == "solution.py"
    assert judged(project, golfed) == judged(project, SOLUTION)
    module = cst.parse_module(golfed)
    defined = {node.name.value for node in module.body if isinstance(node, cst.FunctionDef)}
    defined |= {t.target.value for s in module.body if isinstance(s, cst.SimpleStatementLine)
                for a in s.body if isinstance(a, cst.Assign) for t in a.targets if isinstance(t.target, cst.Name)}
    assert "p" in defined and "rotate" not in golfed and "double" not in golfed  # helpers renamed or inlined
    assert outcome.report["harness"] == "judge.py" and outcome.report["kept_names"] == ["p"]


def test_the_packed_module_still_defines_p_and_beats_python_minifier(project, tmp_path):
    outcome = build(project, tmp_path)
    final = outcome.final_path.read_bytes()
    assert judged(project, final.decode("utf-8")) == judged(project, SOLUTION)
    assert len(final) < len(python_minifier.minify(SOLUTION).encode())


class BreakTheAnswer(Pass):
    """Test pass: ``x * 2`` becomes ``x``, shorter and wrong (a module the harness must catch)."""

    name = "break-the-answer"
    description = "drop the doubling"
    safety = Safety.SAFE
    safety_statement = "none: it is wrong on purpose"

    def find_sites(self, facts, context):
        return [Site(node, "drop * 2") for node in facts.nodes(cst.BinaryOperation)
                if isinstance(node.operator, cst.Multiply) and isinstance(node.right, cst.Integer)]

    def rewrite(self, facts, sites, context):
        class Drop(cst.CSTTransformer):
            def leave_BinaryOperation(self, original, updated):
                doubling = isinstance(updated.operator, cst.Multiply) and isinstance(updated.right, cst.Integer)
                return updated.left if doubling else updated
        return facts.module.visit(Drop()).code


def test_a_wrong_module_is_caught_by_the_harness(project, tmp_path):
    outcome = build(project, tmp_path, passes=[BreakTheAnswer(), *default_pipeline(("strip",))], pack=False,
                    max_rounds=1)
    rows = {stage["name"]: stage for stage in outcome.report["stages"]}
    assert rows["break-the-answer"]["verdict"] == "rejected"
    assert "* 2" in outcome.final_path.read_text()


def test_harness_errors_are_one_line(project, tmp_path):
    with pytest.raises(GolfkitError, match="cannot read the harness"):
        build(project, tmp_path, harness=project / "missing.py")
    with pytest.raises(GolfkitError, match="another program"):
        build(project, tmp_path, harness=project / "solution.py")
    with pytest.raises(GolfkitError, match="do not go together"):
        build(project, tmp_path, bundle=True)


def test_the_command_line_takes_the_harness_and_the_names_to_keep(project):
    import subprocess

    done = subprocess.run([sys.executable, "-m", "golfkit", "build", "solution.py", "--harness", "judge.py", "--keep", "p",
                           "--data", "examples.json", "--precheck-python", "none", "--codecs", "zlib", "--json",
                           "--cache-dir", "cache"], cwd=project, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["harness"] == "judge.py" and report["kept_names"] == ["p"] and report["final"]["verified"]
    golfed = (project / "build" / "chars" / "solution.py").read_text()
    assert judged(project, golfed) == judged(project, SOLUTION)
