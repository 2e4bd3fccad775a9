"""What a new user met in the first hour: settings checked, the right build found, defaults and
exit codes shown, a table that fits 80 columns, progress without a terminal, no empty folders
left, the pre-check chosen by itself, `golfkit doctor`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from golfkit import reference as reference_module
from golfkit.build import Builder
from golfkit.options import Options
from golfkit.report import ConsoleListener, stage_table
from tests.conftest import ROOT
from tests.passes_for_tests import DropCommentsPass
from tests.support import RunLabels

PROGRAM = "# a comment\nx = 2\n# another\nprint(x)\nprint(x * 3)\n"


def golfkit(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, env=env)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize("setting, expected", [
    ('jobs = "two"', "jobs = 'two': expected a whole number"),
    ("timeout = -1", "timeout = -1: expected a positive number of seconds"),
    ('targets = ["words"]', "targets = ['words']: give a list of targets from chars, bytes"),
    ("jobs = 0", "jobs = 0: expected at least 1"),
    ('judge = "pipe"', "judge = 'pipe': choose one of file, stdin"),
    ("contract = 1", "contract = 1: expected true or false"),
])
def test_bad_settings_are_one_line_usage_errors(workdir, setting, expected):
    (workdir / "pyproject.toml").write_text(f"[tool.golfkit]\n{setting}\n")
    (workdir / "prog.py").write_text(PROGRAM)
    result = golfkit("build", "prog.py", "--passes=", "--no-pack", cwd=workdir)
    assert result.returncode == 2
    assert expected in one_line_error(result)


def test_targets_may_name_one_target_and_report_and_diff_find_that_build(workdir):
    (workdir / "pyproject.toml").write_text('[tool.golfkit]\ntargets = "bytes"\n')
    (workdir / "prog.py").write_text(PROGRAM)
    built = golfkit("build", "prog.py", "--passes=strip", "--no-pack", cwd=workdir)
    assert built.returncode == 0, built.stderr
    assert (workdir / "build" / "bytes" / "prog.py").is_file() and not (workdir / "build" / "chars").exists()
    (workdir / "pyproject.toml").unlink()  # no settings: report and diff still find the only build
    report = golfkit("report", "--json", cwd=workdir)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["target"] == "bytes"
    diff = golfkit("diff", "strip", cwd=workdir)
    assert diff.returncode == 0 and "-# a comment" in diff.stdout


def test_report_and_diff_take_the_most_recent_build(workdir):
    (workdir / "prog.py").write_text(PROGRAM)
    for target in ("bytes", "chars"):
        assert golfkit("build", "prog.py", "--target", target, "--passes=", "--no-pack", cwd=workdir).returncode == 0
        time.sleep(0.05)
    assert json.loads(golfkit("report", "--json", cwd=workdir).stdout)["target"] == "chars"
    assert json.loads(golfkit("report", "--json", "--target", "bytes", cwd=workdir).stdout)["target"] == "bytes"


def test_build_help_shows_defaults_and_every_help_the_exit_codes(workdir):
    help_text = " ".join(golfkit("build", "--help", cwd=workdir).stdout.split())
    for default in ("default: ./build", "default: auto", "default: 5)", "default: file)", "default: 20 min",
                    "default: zopfli,zlib,lzma,bz2"):
        assert default in help_text, default
    for command in ((), ("build",), ("verify",)):
        text = " ".join(golfkit(*command, "--help", cwd=workdir).stdout.split())
        assert "3 source missing" in text and "6 a run exceeded its time limit" in text and "8 no result" in text
    readme = (ROOT / "README.md").read_text()
    for code in ("| 3 |", "| 4 |", "| 5 |", "| 6 |", "| 7 |", "| 8 |"):
        assert code in readme, code


def _stage(step, name, verdict, reason="", round_=1, delta=0):
    return {"step": step, "name": name, "round": round_, "chars": 100 + delta, "bytes": 100 + delta,
            "deflate": 80, "delta_chars": delta, "delta_bytes": delta, "verdict": verdict, "reason": reason,
            "pass_seconds": 0.1, "run_seconds": 1.0, "runtime_ratio": 1.0}


def _report(stages, runs_made=1):
    return {"source": "reference/microgpt.py", "target": "chars", "overrides": {}, "interpreter": "/usr/bin/python3",
            "interpreter_version": "CPython 3.11.2", "precheck_interpreter": "/usr/bin/pypy3",
            "precheck_version": "PyPy 7.3.11 (Python 3.9.16)",
            "reference": {"chars": 100, "bytes": 100, "deflate": 80, "seconds": 400.0},
            "stages": stages, "final": {"file": "femtogpt.py", "chars": 90, "bytes": 90},
            "runs_made": runs_made, "wall_seconds": 12.0}


def _render(table, width=80) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, force_terminal=False).print(table)
    return buffer.getvalue()


def test_the_table_fits_80_columns_without_breaking_pass_names_and_hides_rows_that_changed_nothing():
    stages = [_stage(1, "loop-comprehension", "verified", delta=-10),
              _stage(2, "operator-alias", "not shorter", reason="not shorter"),
              _stage(3, "fixed-defaults", "rejected", reason="stdout differs at line 12: expected 'step 3', "
                                                              "got 'step 4' and a long tail of words to wrap"),
              *[_stage(4 + i, f"pass-{i}", "no change", round_=2) for i in range(20)]]
    text = _render(stage_table(_report(stages), width=80), width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "loop-comprehension" in text and "fixed-defaults" in text
    assert "not shorter: not shorter" not in text and "not shorter" in text
    assert "pass-3" not in text and "20 rows with no change not shown (--all-rows shows them)" in " ".join(text.split())
    assert "1 run made" in text and "1 runs" not in text
    assert "intermediates judged by pypy3 (PyPy 7.3.11" in " ".join(text.split())
    every = _render(stage_table(_report(stages, runs_made=2), all_rows=True, width=200), width=200)
    assert "pass-3 (r2)" in every and "2 runs made" in every


def test_without_a_terminal_progress_is_a_heartbeat_naming_the_runs_in_flight():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200)
    with ConsoleListener(console, heartbeat_seconds=0.2) as listener:
        advance = listener.run_started("microgpt.py (reference, limit 20 min; --timeout raises it)", 0)
        advance(7)
        other = listener.run_started("strip", 45)
        other(12)
        time.sleep(0.7)
        other.finish()
        advance.finish()
    text = buffer.getvalue()
    assert "2 runs in flight: microgpt.py (reference, limit 20 min; --timeout raises it) (7 lines" in text
    assert "strip (12/45 lines" in text
    assert "reference runs done: 7 lines" in text


def test_the_reference_progress_line_names_its_time_limit(workdir, cache_dir):
    (workdir / "prog.py").write_text(PROGRAM)
    listener = RunLabels()
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      precheck_python="none")
    Builder(options, listener, passes=[DropCommentsPass()]).build()
    assert "prog.py (reference, limit 20 min; --timeout raises it)" in listener.labels


def test_a_build_that_fails_leaves_no_empty_output_folder(workdir):
    (workdir / "prog.py").write_text("print(1)\nraise ValueError(1)\n")
    result = golfkit("build", "prog.py", "--passes=", "--no-pack", cwd=workdir)
    assert result.returncode == 5
    assert not (workdir / "build").exists()


def test_cache_path_names_the_folder_and_each_part(workdir, tmp_path):
    result = golfkit("cache", "path", "--cache-dir", str(tmp_path / "c"), cwd=workdir)
    lines = result.stdout.splitlines()
    assert lines[0] == str(tmp_path / "c")
    assert any(line.strip().startswith("runs: ") for line in lines)
    assert any(line.strip().startswith("pass results: ") for line in lines)
    assert any(line.strip().startswith("traces: ") for line in lines)


def _fake_pypy(folder: Path) -> Path:
    """A "pypy3" that is this Python under another name: it reproduces every log."""
    folder.mkdir()
    fake = folder / "pypy3"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    fake.chmod(0o755)
    return fake


def test_auto_precheck_uses_an_installed_pypy_that_reproduces_the_reference(workdir, cache_dir, tmp_path,
                                                                             monkeypatch):
    fake = _fake_pypy(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    # The fake is no faster than the target: judge it by reproduction alone here.
    monkeypatch.setattr(reference_module, "AUTO_SPEED_GAIN", 100.0)
    monkeypatch.setattr(reference_module, "AUTO_MIN_SECONDS", 0.0)
    # Long and repetitive, so a packed form is shorter and is what ships.
    (workdir / "prog.py").write_text(PROGRAM + "".join(f"print('{'abcdefgh' * 20}', {i})\n" for i in range(40)))
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", cache_dir=cache_dir, max_rounds=1)
    assert options.precheck_python == "auto"
    report = Builder(options, passes=[DropCommentsPass()]).build().report
    assert report["precheck_interpreter"] == str(fake)
    assert report["stages"][0]["prechecked"] and report["final"]["verified"]
    # Packed: the packed file's run under the target confirms the golfed text, no separate run.
    assert report["confirmed_by_packed_file"] and report["pack"]["chosen"] != "unpacked"


def test_auto_precheck_without_pypy_says_so_and_none_turns_it_off(workdir, cache_dir, tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (workdir / "prog.py").write_text(PROGRAM)
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir)
    report = Builder(options, passes=[DropCommentsPass()]).build().report
    assert report["precheck_interpreter"] is None and "no pypy3 installed" in report["precheck_refused"]
    off = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                  precheck_python="none")
    assert Builder(off, passes=[DropCommentsPass()]).build().report["precheck_refused"] is None


def test_doctor_reports_each_thing_with_what_to_do(workdir, tmp_path):
    result = golfkit("doctor", "--cache-dir", str(tmp_path / "c"), cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["golfkit", "python", "pypy", "bubblewrap", "cores", "cache",
                                                      "dataset"]
    assert "input.txt missing: `bash scripts/setup.sh`" in result.stdout
    assert f"{tmp_path / 'c'} (0 files, 0 B)" in result.stdout
