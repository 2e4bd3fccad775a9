"""Test cases: a program is verified on every case of a suite (arguments, stdin, files), the
reference runs once per case, contract pruning keeps what any case ran, and the cache keeps the
cases' runs apart."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from golfkit import reference as reference_module
from golfkit.build import Builder
from golfkit.cache import RunCache, run_key
from golfkit.cases import Case, load_cases
from golfkit.errors import GolfkitError
from golfkit.options import Options, load_settings
from golfkit.report import stage_table
from golfkit.runner import RunLimits, RunResult, RunSpec, run_program
from golfkit.verify import Verifier, cached_run, judge
from tests.passes_for_tests import DropCommentsPass

COMMANDS = """\
import sys

command, values = sys.argv[1], sys.argv[2:]
if command == "add":
    print(sum(int(value) for value in values))
elif command == "shout":
    print(" ".join(value.upper() for value in values))
else:
    print("unknown command", command)
print("done", len(values))
"""


def golfkit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def run_on(program: bytes, case: Case):
    return run_program(case.applied(RunSpec(program, "prog.py")), sys.executable, RunLimits(timeout=60))


def assert_same_on_every_case(reference: Path, golfed: Path, cases) -> None:
    """Both sides run on each case, judged as golfkit judges: stdout, stderr and exit status."""
    for case in cases:
        expected, actual = run_on(reference.read_bytes(), case), run_on(golfed.read_bytes(), case)
        assert judge(actual, expected) == "identical", (case.label, expected.stdout, actual.stdout)


# -- several cases: contract pruning keeps what any case ran ---------------------------------------


def test_arguments_cases_keep_the_branch_one_case_runs_and_drop_the_one_none_runs(workdir):
    (workdir / "prog.py").write_text(COMMANDS)
    result = golfkit("build", "prog.py", "--case", "add 1 2", "--case", "shout x 'y z'", "--case", "add 5",
                     "--passes", "contract-prune", "--no-pack", "--jobs", "2", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    golfed = workdir / "build" / "chars" / "prog.py"
    text = golfed.read_text()
    assert 'command == "shout"' in text and "upper()" in text  # only the second case runs it
    assert "unknown command" not in text  # no case reaches the else
    assert [case["args"] for case in report["cases"]] == [["add", "1", "2"], ["shout", "x", "y z"], ["add", "5"]]
    assert report["stages"][0]["verdict"] == "verified" and report["reference"]["lines"] == 6
    assert_same_on_every_case(workdir / "prog.py", golfed,
                              [Case(args=("add", "1", "2")), Case(args=("shout", "x", "y z")), Case(args=("add", "5"))])


def test_without_the_case_that_runs_a_branch_the_branch_goes(workdir):
    (workdir / "prog.py").write_text(COMMANDS)
    result = golfkit("build", "prog.py", "--case", "add 1 2", "--case", "add 5", "--passes", "contract-prune",
                     "--no-pack", "--jobs", "2", "-q", cwd=workdir)
    assert result.returncode == 0, result.stderr
    text = (workdir / "build" / "chars" / "prog.py").read_text()
    assert "shout" not in text and "unknown command" not in text and "sum(" in text


def test_report_lists_the_cases_and_says_contract_rewrites_hold_for_them(workdir, cache_dir):
    (workdir / "prog.py").write_text("import sys\n# greet\nprint('hello', *sys.argv[1:])\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=2, case_args=("world", "you there"))
    report = Builder(options, passes=[DropCommentsPass()]).build().report
    assert [case["args"] for case in report["cases"]] == [["world"], ["you", "there"]]
    assert report["cases"][1]["reference_lines"] == 1 and report["cases"][1]["reference_exit_status"] == 0
    caption = stage_table(report).caption
    assert "verified on 2 cases: #1 (args: world), #2 (args: you there)" in caption
    assert "contract rewrites hold for these cases only" in caption


# -- the cases file --------------------------------------------------------------------------------


READS_EVERYTHING = """\
import sys

label = sys.argv[1] if len(sys.argv) > 1 else "none"
text = sys.stdin.read()
extra = open("extra.txt").read() if label == "files" else ""
print(label, len(text.split()), extra.strip())
"""


def test_a_cases_file_gives_args_stdin_stdin_files_and_files(workdir):
    (workdir / "suite").mkdir()
    (workdir / "suite" / "in1.txt").write_text("one two three\n")
    (workdir / "suite" / "extra.txt").write_text("carried along\n")
    (workdir / "suite" / "cases.toml").write_text(
        '[[case]]\nname = "two words"\nargs = ["hello", "world"]\nstdin = "text given on stdin\\n"\n\n'
        '[[case]]\nargs = "quoted \'a b\'"\nstdin_file = "in1.txt"\n\n'
        '[[case]]\nargs = ["files"]\nfiles = ["extra.txt"]\n')
    cases = load_cases(Options(cases_file=workdir / "suite" / "cases.toml"))
    assert [case.args for case in cases] == [("hello", "world"), ("quoted", "a b"), ("files",)]
    assert cases[0].stdin == b"text given on stdin\n" and cases[0].label == 'case 1 "two words"'
    assert cases[1].stdin == b"one two three\n" and cases[1].label == "case 2 (args: quoted 'a b'; stdin: in1.txt)"
    assert [path.name for path in cases[2].files] == ["extra.txt"] and cases[2].files[0].is_absolute()
    (workdir / "prog.py").write_text(READS_EVERYTHING)
    result = golfkit("build", "prog.py", "--cases", "suite/cases.toml", "--passes", "strip", "--no-pack",
                     "--jobs", "2", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [case["name"] for case in report["cases"]] == ["two words", None, None]
    assert report["cases"][2]["files"] == ["extra.txt"] and report["cases"][1]["stdin_file"] == "in1.txt"
    assert_same_on_every_case(workdir / "prog.py", workdir / "build" / "chars" / "prog.py", cases)
    assert run_on(b"import sys\nprint(sys.stdin.read(), open('extra.txt').read())\n", cases[2]).stdout == \
        b" carried along\n\n"


def test_the_cases_setting_names_a_cases_file_and_a_case_flag_replaces_it(workdir):
    (workdir / "cases.toml").write_text('[[case]]\nargs = ["from-file"]\n')
    (workdir / "pyproject.toml").write_text('[tool.golfkit]\ncases = "cases.toml"\nrequire_clean = true\n')
    settings = load_settings(workdir)
    assert settings["cases_file"] == workdir / "cases.toml" and settings["require_clean"] is True
    assert [case.args for case in load_cases(Options(**settings))] == [("from-file",)]
    (workdir / "prog.py").write_text("import sys\nprint(sys.argv[1])\n")
    result = golfkit("build", "prog.py", "--passes", "strip", "--no-pack", "--jobs", "1", "--json", cwd=workdir)
    assert result.returncode == 0 and json.loads(result.stdout)["cases"][0]["args"] == ["from-file"]
    result = golfkit("build", "prog.py", "--case", "flag", "--passes", "strip", "--no-pack", "--jobs", "1",
                     "--json", cwd=workdir)
    assert result.returncode == 0 and [c["args"] for c in json.loads(result.stdout)["cases"]] == [["flag"]]


@pytest.mark.parametrize(("content", "exit_code", "message"), [
    ("[[case]\nargs = 1\n", 2, r"cases\.toml: invalid TOML \(.*\); see `golfkit build --help` for the cases format"),
    ('[[case]]\nargs = ["a"]\nargv = ["b"]\n', 2,
     r"cases\.toml: case 1: unknown key 'argv'; known: name, args, stdin, stdin_file, files"),
    ('title = "x"\n[[case]]\nargs = ["a"]\n', 2, r"cases\.toml: unknown key 'title'; a cases file holds \[\[case\]\]"),
    ('[[case]]\nargs = [1, 2]\n', 2, r"case 1: args = \[1, 2\]: expected a list of strings"),
    ('[[case]]\nstdin = 3\n', 2, r"case 1: stdin = 3: expected a string"),
    ('[[case]]\nname = ["x"]\n', 2, r"case 1: name = \['x'\]: expected a string"),
    ('[[case]]\nfiles = "extra.txt"\n', 2, r"case 1: files = 'extra.txt': expected a list of paths"),
    ('[[case]]\nstdin = "a"\nstdin_file = "b"\n', 2, r"case 1: give stdin or stdin_file, not both"),
    ('[[case]]\nargs = ["a"]\n[[case]]\nargs = "\'unclosed"\n', 2, r"case 2: args: No closing quotation"),
    ("", 2, r"cases\.toml: no \[\[case\]\] tables"),
    ('[[case]]\nstdin_file = "missing.txt"\n', 4, r"case 1: stdin_file .*missing\.txt: no such file"),
    ('[[case]]\nfiles = ["missing.txt"]\n', 4, r"case 1: files: .*missing\.txt: no such file or folder"),
    ('[[case]]\nargs = ["a"]\n[[case]]\nargs = "a"\n', 2, r"case 2 \(args: a\) repeats case 1 \(args: a\)"),
    ('[[case]]\nfiles = ["input.txt"]\n', 2, r"case 1 \(files: input\.txt\): two files named 'input\.txt' would land on the same file"),
])
def test_a_bad_cases_file_is_a_one_line_error(workdir, content, exit_code, message):
    (workdir / "cases.toml").write_text(content)
    (workdir / "input.txt").write_text("data\n")
    (workdir / "prog.py").write_text("print(1)\n")
    result = golfkit("build", "prog.py", "--cases", "cases.toml", "--data", "input.txt", "--passes", "strip",
                     "--no-pack", cwd=workdir)
    assert result.returncode == exit_code
    assert re.search(message, one_line_error(result)), result.stderr
    assert not (workdir / "build").exists()


@pytest.mark.parametrize(("args", "exit_code", "message"), [
    (["--cases", "nothere.toml"], 4, r"nothere\.toml: no such cases file; give an existing TOML file with --cases"),
    (["--case-stdin", "nothere.txt"], 4, r"--case-stdin nothere\.txt: no such file"),
    (["--case", "'open"], 2, r"--case \"'open\": No closing quotation; quote the arguments as a shell would"),
    (["--case", "a", "--case", "a"], 2, r"case 2 \(args: a\) repeats case 1"),
])
def test_bad_case_flags_are_one_line_errors(workdir, args, exit_code, message):
    (workdir / "prog.py").write_text("print(1)\n")
    result = golfkit("build", "prog.py", *args, "--passes", "strip", "--no-pack", cwd=workdir)
    assert result.returncode == exit_code
    assert re.search(message, one_line_error(result)), result.stderr


def test_a_bad_cases_setting_is_a_one_line_error(workdir):
    (workdir / "pyproject.toml").write_text("[tool.golfkit]\ncases = 3\n")
    (workdir / "prog.py").write_text("print(1)\n")
    result = golfkit("build", "prog.py", "--passes", "strip", "--no-pack", cwd=workdir)
    assert result.returncode == 2 and "[tool.golfkit] cases = 3: expected a path (string)" in one_line_error(result)


# -- verification on every case: fail fast, the reason names the case --------------------------------


SLOW_ON_ONE_CASE = """\
import sys
import time

word = sys.argv[1]
if word == "slow":
    time.sleep(60)
print(word.upper())
print("end")
"""


def test_verify_catches_a_candidate_wrong_on_the_second_case_only_and_stops_the_others(workdir):
    (workdir / "reference.py").write_text(SLOW_ON_ONE_CASE)
    (workdir / "candidate.py").write_text(SLOW_ON_ONE_CASE.replace('print("end")', 'print("end" if word != "b" else "END")'))
    started = time.monotonic()
    result = golfkit("verify", "candidate.py", "--reference", "reference.py", "--case", "slow", "--case", "b",
                     "--case", "a", "--jobs", "3", cwd=workdir)
    assert result.returncode == 1, result.stderr
    assert "different: case 2 (args: b): stdout differs at line 2: expected 'end\\n', got 'END\\n'" in result.stdout
    assert time.monotonic() - started < 40  # the slow case (60 s) was stopped, not waited for
    same = golfkit("verify", "reference.py", "--reference", "reference.py", "--case", "a", "--case", "b", cwd=workdir)
    # Cached or not depends on whether the reference's runs ended before the first verify stopped them.
    assert same.returncode == 0 and re.search(r"identical on 2 cases \(4 lines(, cached)?\)", same.stdout)


def test_a_builds_verifier_stops_the_other_cases_at_the_first_that_differs(cache_dir):
    cases = (Case(args=("slow",), number=1), Case(args=("b",), number=2))
    program = SLOW_ON_ONE_CASE.encode()
    references = [RunResult(b"SLOW\nend\n", b"", 0, 1.0, 10_000), RunResult(b"B\nend\n", b"", 0, 0.1, 10_000)]
    verifier = Verifier(references, cases=cases, cache=RunCache(cache_dir), timeout=120, jobs=2)
    started = time.monotonic()
    verdict = verifier.check(program.replace(b'print("end")', b'print("END")'), final=True)
    assert not verdict.identical and verdict.reason.startswith("case 2 (args: b): stdout differs at line 2")
    assert time.monotonic() - started < 40
    assert verdict.results[0].cancelled
    assert verifier.check(program.replace(b"time.sleep(60)", b"pass")).identical


def test_verify_expected_log_takes_no_cases(workdir):
    (workdir / "prog.py").write_text("print(1)\n")
    (workdir / "log.txt").write_text("1\n")
    result = golfkit("verify", "prog.py", "--expected", "log.txt", "--case", "a", cwd=workdir)
    assert result.returncode == 2 and "--expected is the log of one run without input" in one_line_error(result)


# -- references that exit non-zero and write stderr by design ----------------------------------------


EXITS_THREE = """\
import sys

# say what went wrong
print("partial result")
print("no such month", file=sys.stderr)
sys.exit(3)
"""


def test_a_reference_that_exits_3_and_writes_stderr_is_built_and_verified(workdir, cache_dir):
    (workdir / "prog.py").write_text(EXITS_THREE)
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir, jobs=1)
    outcome = Builder(options, passes=[DropCommentsPass()]).build()
    assert outcome.report["reference"]["exit_status"] == 3 and outcome.report["stages"][0]["verdict"] == "verified"
    assert "# say" not in outcome.final_path.read_text()
    expected, actual = run_on(EXITS_THREE.encode(), Case()), run_on(outcome.final_path.read_bytes(), Case())
    assert (actual.returncode, actual.stderr) == (3, b"no such month\n") and judge(actual, expected) == "identical"
    with pytest.raises(GolfkitError, match="prog.py exits with status 3: no such month; --require-clean wants "
                                           "exit status 0 and nothing on stderr") as refused:
        Builder(options.replace(require_clean=True), passes=[DropCommentsPass()]).build()
    assert refused.value.exit_code == 5


def test_require_clean_refuses_stderr_alone_and_is_a_flag(workdir):
    (workdir / "prog.py").write_text("import sys\nprint('ok')\nprint('note', file=sys.stderr)\n")
    result = golfkit("build", "prog.py", "--require-clean", "--passes", "strip", "--no-pack", "-q", cwd=workdir)
    assert result.returncode == 5
    assert "prog.py writes to stderr: note; --require-clean wants exit status 0" in one_line_error(result)
    assert golfkit("build", "prog.py", "--passes", "strip", "--no-pack", "-q", cwd=workdir).returncode == 0


def test_a_reference_ending_in_a_traceback_on_one_case_is_refused_naming_it(workdir, cache_dir):
    (workdir / "prog.py").write_text("import sys\nprint(1)\nif sys.argv[1] == 'x':\n    raise ValueError('bad x')\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=2, case_args=("fine", "x"))
    with pytest.raises(GolfkitError, match=r"prog\.py, case 2 \(args: x\) exits with status 1: ValueError: bad x; "
                                           "an uncaught exception's traceback"):
        Builder(options, passes=[DropCommentsPass()]).build()


def test_determinism_holds_per_case(workdir, cache_dir):
    (workdir / "prog.py").write_text("import os, sys\nprint(os.urandom(4).hex() if sys.argv[1] == 'r' else 'same')\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=2, case_args=("s", "r"))
    with pytest.raises(GolfkitError, match=r"prog\.py, case 2 \(args: r\) is not deterministic: two runs differ"):
        Builder(options, passes=[DropCommentsPass()]).build()


# -- the run cache keys on the case ------------------------------------------------------------------


def test_the_run_cache_keys_on_the_case(cache_dir, tmp_path):
    program = b"import sys\nprint(sys.argv[1:], sys.stdin.read())\n"
    base = RunSpec(program, "prog.py")
    extra, other = tmp_path / "a" / "extra.txt", tmp_path / "b" / "extra.txt"
    for path, text in ((extra, "one"), (other, "two")):
        path.parent.mkdir()
        path.write_text(text)
    specs = [Case(args=("x",)).applied(base), Case(args=("y",)).applied(base), Case(stdin=b"in").applied(base),
             Case(stdin=b"other").applied(base), Case(files=(extra,)).applied(base),
             Case(files=(other,)).applied(base)]
    keys = {run_key(spec, sys.executable) for spec in specs}
    assert len(keys) == len(specs) and run_key(base, sys.executable) not in keys
    assert Case().applied(base) == base  # no case: the key a run always had
    cache = RunCache(cache_dir)
    first, cached_first = cached_run(specs[0], sys.executable, cache, RunLimits())
    second, cached_second = cached_run(specs[1], sys.executable, cache, RunLimits())
    assert (cached_first, cached_second) == (False, False)
    assert first.stdout == b"['x'] \n" and second.stdout == b"['y'] \n"
    again, cached_again = cached_run(specs[1], sys.executable, cache, RunLimits())
    assert cached_again and again.stdout == second.stdout


def test_a_second_build_with_the_same_cases_makes_no_run_and_another_case_does(workdir, cache_dir):
    (workdir / "prog.py").write_text("import sys\n# echo\nprint(*sys.argv[1:])\n")
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=2, case_args=("a", "b"))
    Builder(options, passes=[DropCommentsPass()]).build()
    assert Builder(options, passes=[DropCommentsPass()]).build().report["runs_made"] == 0
    changed = Builder(options.replace(case_args=("a", "c")), passes=[DropCommentsPass()]).build()
    assert changed.report["runs_made"] == 1  # the candidate on the new case only


def test_a_cancelled_suite_check_says_cancelled(cache_dir):
    cases = (Case(args=("slow",), number=1), Case(args=("slow",), stdin=b"x", number=2))
    program = SLOW_ON_ONE_CASE.encode()
    reference = run_on(b"print('SLOW')\nprint('end')\n", Case())
    verifier = Verifier([reference, reference], cases=cases, cache=RunCache(cache_dir), timeout=120, jobs=2)
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    verdict = verifier.check(program, cancel=cancel)
    assert verdict.reason == "cancelled" and time.monotonic() - started < 30



# -- the pre-check interpreter, per case --------------------------------------------------------------


def _fake_pypy(folder: Path, drift_on: str | None = None) -> Path:
    """A "pypy3" that is this Python under another name; with ``drift_on``, a run given that
    argument prints one more line, so it does not reproduce that case."""
    folder.mkdir()
    fake = folder / "pypy3"
    runner = f"exec {sys.executable} \"$@\""
    if drift_on is not None:
        runner = f'for arg in "$@"; do [ "$arg" = {drift_on} ] && echo drift; done\n{runner}'
    fake.write_text(f"#!/bin/sh\n{runner}\n")
    fake.chmod(0o755)
    return fake


ECHO = "import sys\n# echo the arguments\nprint(*sys.argv[1:])\nprint('end')\n"


@pytest.mark.parametrize("drift_on", [None, "odd"])
def test_the_precheck_interpreter_must_reproduce_every_case(workdir, cache_dir, tmp_path, monkeypatch, drift_on):
    fake = _fake_pypy(tmp_path / "bin", drift_on)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(reference_module, "AUTO_SPEED_GAIN", 100.0)
    monkeypatch.setattr(reference_module, "AUTO_MIN_SECONDS", 0.0)
    (workdir / "prog.py").write_text(ECHO)
    options = Options(source=workdir / "prog.py", out_dir=workdir / "build", pack=False, cache_dir=cache_dir,
                      jobs=2, case_args=("even", "odd"))
    report = Builder(options, passes=[DropCommentsPass()]).build().report
    assert report["final"]["verified"] and report["stages"][0]["verdict"] == "verified"
    if drift_on is None:
        assert report["precheck_interpreter"] == str(fake) and report["stages"][0]["prechecked"]
    else:
        assert report["precheck_interpreter"] is None and not report["stages"][0]["prechecked"]
        assert report["precheck_refused"].startswith("pypy3 does not reproduce the reference on case 2 (args: odd)")


STDIN_WORDS = """\
import sys

text = sys.stdin.read()
words = text.split()
if not words:
    print("no input")
else:
    counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    for word, count in sorted(counts.items()):
        print(word, count)
"""


@pytest.mark.parametrize("program, flags, cases", [
    (COMMANDS, ["--case", "add 1 2", "--case", "shout x 'y z'", "--case", "add 5"],
     [Case(args=("add", "1", "2")), Case(args=("shout", "x", "y z")), Case(args=("add", "5"))]),
    (STDIN_WORDS, ["--case-stdin", "one.txt", "--case-stdin", "empty.txt"],
     [Case(stdin=b"b a b c a b\n"), Case(stdin=b"")]),
], ids=["arguments", "stdin"])
def test_the_whole_pipeline_on_cases_ends_shorter_than_python_minifier(workdir, program, flags, cases):
    import python_minifier

    (workdir / "prog.py").write_text(program)
    (workdir / "one.txt").write_bytes(b"b a b c a b\n")
    (workdir / "empty.txt").write_bytes(b"")
    result = golfkit("build", "prog.py", *flags, "--precheck-python", "none", "--jobs", "2", "-q", cwd=workdir)
    assert result.returncode == 0, result.stderr
    golfed = workdir / "build" / "chars" / "prog.py"
    assert_same_on_every_case(workdir / "prog.py", golfed, cases)
    assert len(golfed.read_text()) < len(python_minifier.minify(program))
