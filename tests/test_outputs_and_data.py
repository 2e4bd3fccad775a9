"""A build's final file is named after its program (or --output / [tool.golfkit] output), and runs
get every data file and folder given with --data (or [tool.golfkit] dataset) under its own name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from golfkit.cache import run_key
from golfkit.errors import DatasetError, UsageError
from golfkit.options import Options, load_settings
from golfkit.runner import RunSpec, run_program
from golfkit.source import resolve_data
from tests.conftest import ROOT

READER = """\
# reads a word list and a table from a data folder
words = open("words.txt").read().split()
rows = open("data/table.csv").read().splitlines()
deep = open("data/more/deep.txt").read().strip()
print(len(words), words[0])
print(len(rows), rows[-1], deep)
"""

PROGRAM = "# a comment\nx = 2\n# another\nprint(x)\nprint(x * 3)\n"
QUICK = ["--passes=strip", "--no-pack", "--precheck-python", "none", "-q"]


def golfkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def write_data(folder: Path) -> None:
    (folder / "words.txt").write_text("emma olivia ava\n")
    (folder / "data" / "more").mkdir(parents=True)
    (folder / "data" / "table.csv").write_text("name,count\nemma,3\n")
    (folder / "data" / "more" / "deep.txt").write_text("found\n")


# --data: several files and folders, each under its own name


def test_a_program_reading_several_data_files_and_a_folder_builds(workdir):
    (workdir / "reader.py").write_text(READER)
    write_data(workdir)
    result = golfkit("build", "reader.py", "--data", "words.txt", "--data", "data", *QUICK, cwd=workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads((workdir / "build" / "chars" / "report.json").read_text())
    assert report["final"] == {**report["final"], "file": "reader.py", "verified": True}
    assert report["data"] == ["words.txt", "data"]
    assert "# reads" not in (workdir / "build" / "chars" / "reader.py").read_text()


def test_the_dataset_setting_may_be_a_list_or_one_path(workdir):
    (workdir / "reader.py").write_text(READER)
    write_data(workdir)
    (workdir / "pyproject.toml").write_text('[tool.golfkit]\ndataset = ["words.txt", "data"]\n')
    assert golfkit("build", "reader.py", *QUICK, cwd=workdir).returncode == 0
    (workdir / "pyproject.toml").write_text('[tool.golfkit]\ndataset = "words.txt"\n')
    assert load_settings(workdir)["dataset"] == (workdir / "words.txt",)
    result = golfkit("build", "reader.py", *QUICK, cwd=workdir)
    assert result.returncode == 5 and "data/table.csv" in one_line_error(result)


def test_a_data_file_keeps_its_own_name_and_input_txt_stays_input_txt(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("ann\n")
    dataset = tmp_path / "input.txt"
    dataset.write_text("bob\n")
    program = b"print(open('names.txt').read(), open('input.txt').read())\n"
    result = run_program(RunSpec(program, "prog.py", resolve_data((names, dataset), explicit=True)))
    assert result.stdout == b"ann\n bob\n\n"


def test_the_program_and_its_modules_win_over_data_of_the_same_name(tmp_path):
    impostor = tmp_path / "prog.py"
    impostor.write_text("print('the data file ran')\n")
    result = run_program(RunSpec(b"print('the program ran')\n", "prog.py", (impostor,)))
    assert result.stdout == b"the program ran\n"


def test_a_missing_data_path_is_a_one_line_error_with_exit_4(workdir):
    (workdir / "prog.py").write_text(PROGRAM)
    (workdir / "words.txt").write_text("a\n")
    result = golfkit("build", "prog.py", "--data", "words.txt", "--data", "nothere", *QUICK, cwd=workdir)
    assert result.returncode == 4
    assert "nothere: dataset not found; pass an existing file or folder with --data PATH" in one_line_error(result)
    for command in (["verify", "prog.py", "--reference", "prog.py"], ["compare", "prog.py", "--reference", "prog.py"]):
        result = golfkit(*command, "--data", "nothere", cwd=workdir)
        assert result.returncode == 4 and "dataset not found" in one_line_error(result)


def test_two_data_paths_of_one_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "words.txt").write_text("1")
    (tmp_path / "b" / "words.txt").write_text("2")
    with pytest.raises(DatasetError, match="two data paths named 'words.txt'"):
        resolve_data((tmp_path / "a" / "words.txt", tmp_path / "b" / "words.txt"), explicit=True)
    # The same path twice is one path.
    assert resolve_data((tmp_path / "a" / "words.txt",) * 2, explicit=True) == (tmp_path / "a" / "words.txt",)


def test_configured_data_is_copied_when_present_and_skipped_when_not(tmp_path):
    (tmp_path / "here.txt").write_text("x")
    assert resolve_data((tmp_path / "here.txt", tmp_path / "absent.txt"), explicit=False) == (tmp_path / "here.txt",)


def test_a_symbolic_link_keeps_the_name_the_program_opens(tmp_path):
    (tmp_path / "real.txt").write_text("x")
    (tmp_path / "words.txt").symlink_to(tmp_path / "real.txt")
    assert [path.name for path in resolve_data((tmp_path / "words.txt",), explicit=True)] == ["words.txt"]


@pytest.mark.parametrize("value, expected", [
    ("dataset = 3", "dataset = 3: expected a path or a list of paths"),
    ('dataset = ["a.txt", 1]', "expected a path or a list of paths"),
    ('output = "report.json"', "output = 'report.json': the name of the build report"),
    ('output = "sub/x.py"', "give a file name without a folder"),
])
def test_bad_dataset_and_output_settings_are_one_line_usage_errors(workdir, value, expected):
    (workdir / "pyproject.toml").write_text(f"[tool.golfkit]\n{value}\n")
    (workdir / "prog.py").write_text(PROGRAM)
    result = golfkit("build", "prog.py", *QUICK, cwd=workdir)
    assert result.returncode == 2 and expected in one_line_error(result)


def test_the_run_key_covers_every_data_name_and_content(tmp_path):
    write_data(tmp_path)
    words, folder = tmp_path / "words.txt", tmp_path / "data"

    def key(*data: Path) -> str:
        return run_key(RunSpec(b"print(1)\n", "p.py", data), sys.executable)

    both = key(words, folder)
    assert key(folder, words) == both  # the order they were given in changes no run
    assert len({both, key(words), key(folder), key()}) == 4
    (folder / "more" / "deep.txt").write_text("changed\n")
    assert key(words, folder) != both
    changed = key(words, folder)
    (folder / "more" / "new.txt").write_text("")
    assert key(words, folder) != changed
    added = key(words, folder)
    (folder / "more" / "new.txt").rename(folder / "more" / "renamed.txt")
    assert key(words, folder) != added
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "words.txt").write_text(words.read_text())
    assert key(tmp_path / "other" / "words.txt") == key(words)  # the same name and bytes: the same run
    (tmp_path / "other" / "names.txt").write_text(words.read_text())
    assert key(tmp_path / "other" / "names.txt") != key(words)


# The final file: named after the program, --output, or [tool.golfkit] output


def test_the_final_file_is_named_after_the_program_and_report_and_diff_find_it(workdir):
    (workdir / "tiny.py").write_text(PROGRAM)
    result = golfkit("build", "tiny.py", "--passes=strip", "--no-pack", "--precheck-python", "none", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "wrote build/chars/tiny.py" in result.stdout
    assert json.loads((workdir / "build" / "chars" / "report.json").read_text())["final"]["file"] == "tiny.py"
    report = golfkit("report", cwd=workdir)
    assert report.returncode == 0 and "tiny.py:" in report.stdout
    diff = golfkit("diff", "strip", cwd=workdir)
    assert diff.returncode == 0 and "-# a comment" in diff.stdout


def test_output_flag_and_setting_name_the_final_file(workdir):
    (workdir / "tiny.py").write_text(PROGRAM)
    assert golfkit("build", "tiny.py", "--output", "golfed.py", *QUICK, cwd=workdir).returncode == 0
    assert (workdir / "build" / "chars" / "golfed.py").is_file()
    (workdir / "pyproject.toml").write_text('[tool.golfkit]\noutput = "femtogpt.py"\n')
    assert golfkit("build", "tiny.py", *QUICK, cwd=workdir).returncode == 0
    report = json.loads(golfkit("report", "--json", cwd=workdir).stdout)
    assert report["final"]["file"] == "femtogpt.py" and (workdir / "build" / "chars" / "femtogpt.py").is_file()
    assert golfkit("build", "tiny.py", "--output", "flag.py", *QUICK, cwd=workdir).returncode == 0
    assert json.loads(golfkit("report", "--json", cwd=workdir).stdout)["final"]["file"] == "flag.py"


@pytest.mark.parametrize("name, expected", [
    ("report.json", "--output 'report.json': the name of the build report in the build folder"),
    ("03-strip.py", "--output '03-strip.py': the name of a stage file (NN-<pass>.py)"),
    ("101-pack.py", "the name of a stage file"),
    ("out/x.py", "--output 'out/x.py': give a file name without a folder"),
    ("..", "give a file name without a folder"),
])
def test_an_output_name_the_build_folder_uses_is_refused(workdir, name, expected):
    (workdir / "tiny.py").write_text(PROGRAM)
    result = golfkit("build", "tiny.py", "--output", name, *QUICK, cwd=workdir)
    assert result.returncode == 2 and expected in one_line_error(result)
    assert not (workdir / "build").exists()


def test_a_program_named_like_a_stage_file_needs_an_output_name(workdir):
    (workdir / "01-first.py").write_text(PROGRAM)
    result = golfkit("build", "01-first.py", *QUICK, cwd=workdir)
    assert result.returncode == 2
    assert "01-first.py: the default output '01-first.py': the name of a stage file" in one_line_error(result)
    assert golfkit("build", "01-first.py", "--output", "first.py", *QUICK, cwd=workdir).returncode == 0


def test_output_names_in_options():
    assert Options(source=Path("reference/microgpt.py")).final_name == "microgpt.py"
    assert Options(source=Path("prog"), output="golfed.py").final_name == "golfed.py"
    with pytest.raises(UsageError):
        Options(output="report.json")


def test_the_projects_reference_still_ends_as_femtogpt():
    settings = load_settings(ROOT)
    assert settings["output"] == "femtogpt.py" and settings["dataset"] == (ROOT / "input.txt",)
