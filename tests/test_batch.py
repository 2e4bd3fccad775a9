"""Batch builds: several programs, a folder each, one summary; one failure never stops the others."""

from pathlib import Path

import pytest

from golfkit.batch import (batch_exit_code, batch_options, build_many, folder_names, programs_of,
                           summary_rows)
from golfkit.errors import ExitCode, SourceError
from golfkit.options import Options
from tests.support import assert_same_behaviour

GREET = "# greet\ndef greet(name):\n    message = 'hello ' + name\n    return message\nprint(greet('world'))\n"
COUNT = "# count\ntotal = 0\nfor number in range(10):\n    total = total + number\nprint(total)\n"
# Not deterministic: no build can verify anything against it.
RANDOM = "import os\nprint(os.urandom(8).hex())\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def quick(tmp_path: Path, **changes) -> Options:
    return Options(out_dir=tmp_path / "build", cache_dir=tmp_path / "cache", passes=("strip", "minify"),
                   precheck_python="none", max_rounds=1, codecs=("zlib",), **changes)


def test_a_folder_is_its_python_files_and_each_program_counts_once(tmp_path):
    a, b = write(tmp_path / "progs", "a.py", GREET), write(tmp_path / "progs", "b.py", COUNT)
    write(tmp_path / "progs", "notes.txt", "not a program")
    write(tmp_path / "progs" / "sub", "c.py", COUNT)  # only the folder's own files
    assert programs_of([tmp_path / "progs", a]) == [a, b]


@pytest.mark.parametrize("make, message", [
    (lambda root: root / "missing.py", "no such file or folder"),
    (lambda root: (root / "empty").mkdir() or root / "empty", "no Python file in this folder"),
], ids=["missing-path", "empty-folder"])
def test_a_path_that_names_no_program_is_a_one_line_error(tmp_path, make, message):
    with pytest.raises(SourceError, match=message) as raised:
        programs_of([make(tmp_path)])
    assert raised.value.exit_code == ExitCode.SOURCE and "\n" not in str(raised.value)


def test_programs_sharing_a_stem_get_folders_of_their_own(tmp_path):
    first, second = write(tmp_path / "x", "main.py", GREET), write(tmp_path / "y", "main.py", COUNT)
    other = write(tmp_path / "x", "other.py", COUNT)
    names = folder_names([first, second, other])
    assert names == {first: "x-main", second: "y-main", other: "other"}


def test_the_cores_are_shared_and_each_build_names_its_result_after_its_program(tmp_path):
    programs = [write(tmp_path, "a.py", GREET), write(tmp_path, "b.py", COUNT)]
    options = batch_options(quick(tmp_path, output="femtogpt.py", jobs=4), programs, cores=2)
    assert [o.jobs for o in options] == [1, 1]
    assert [o.out_dir for o in options] == [tmp_path / "build" / "a", tmp_path / "build" / "b"]
    assert [o.final_name for o in options] == ["a.py", "b.py"]
    alone = batch_options(quick(tmp_path), programs[:1], cores=2)
    assert alone[0].jobs == 2


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "worker-processes"])
def test_every_program_is_built_and_one_failure_stops_nothing(tmp_path, workers):
    programs = [write(tmp_path, "greet.py", GREET), write(tmp_path, "noise.py", RANDOM),
                write(tmp_path, "count.py", COUNT)]
    heard = []
    results = build_many(batch_options(quick(tmp_path), programs, cores=2), workers=workers, on_result=heard.append)
    assert [r.program for r in results] == programs and len(heard) == 3
    greet, random, count = results
    assert greet.succeeded and count.succeeded and not random.succeeded
    assert random.exit_code == ExitCode.REFERENCE and "not deterministic" in random.error
    assert "\n" not in random.error
    for result, source in ((greet, GREET), (count, COUNT)):
        final = result.folder / f"{result.program.stem}.py"
        assert final.is_file() and result.shipped < result.original
        assert_same_behaviour(source, final.read_text())
    assert batch_exit_code(results) == ExitCode.REFERENCE
    assert batch_exit_code([greet, count]) == 0
    rows = summary_rows(results, "chars")
    assert rows[1][0].endswith("noise.py") and rows[1][4].startswith("failed:") and rows[1][2] == ""
    assert rows[0][4] == "verified" and rows[0][3].endswith("%")


def golfkit(*args: str, cwd: Path):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


QUICK_FLAGS = ("--passes", "strip,minify", "--precheck-python", "none", "--max-rounds", "1", "--codecs", "zlib",
               "-q", "--cache-dir", "cache")


def test_the_command_builds_a_folder_of_programs_and_prints_one_summary(tmp_path):
    folder = tmp_path / "progs"
    write(folder, "greet.py", GREET)
    write(folder, "count.py", COUNT)
    done = golfkit("build", "progs", *QUICK_FLAGS, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 of 2 built and verified" in done.stdout and "greet.py" in done.stdout
    assert (tmp_path / "build" / "greet" / "chars" / "greet.py").is_file()
    assert (tmp_path / "build" / "count" / "chars" / "count.py").is_file()


def test_one_failure_is_a_row_and_the_exit_status(tmp_path):
    write(tmp_path, "greet.py", GREET)
    write(tmp_path, "noise.py", RANDOM)
    done = golfkit("build", "greet.py", "noise.py", *QUICK_FLAGS, "--json", cwd=tmp_path)
    assert done.returncode == ExitCode.REFERENCE
    import json

    rows = {Path(row["program"]).name: row for row in json.loads(done.stdout)}
    assert rows["greet.py"]["verified"] and rows["greet.py"]["shipped"] < rows["greet.py"]["original"]
    assert not rows["noise.py"]["verified"] and "not deterministic" in rows["noise.py"]["error"]


def test_output_with_several_programs_is_a_usage_error(tmp_path):
    write(tmp_path, "greet.py", GREET)
    write(tmp_path, "count.py", COUNT)
    done = golfkit("build", "greet.py", "count.py", "--output", "x.py", *QUICK_FLAGS, cwd=tmp_path)
    assert done.returncode == ExitCode.USAGE and done.stderr.count("\n") == 1 and "--output" in done.stderr
