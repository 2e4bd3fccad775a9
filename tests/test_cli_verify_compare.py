"""`golfkit verify` and `golfkit compare` through the installed command line."""

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_program


def golfkit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def test_verify_identical_exits_0_and_is_cached_next_time(workdir):
    reference = copy_program("mini_gpt.py", workdir)
    candidate = workdir / "candidate.py"
    candidate.write_text(reference.read_text().replace("num_steps = 5", "num_steps = 2 + 3"))
    first = golfkit("verify", "candidate.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert first.returncode == 0 and "identical (13 lines)" in first.stdout
    second = golfkit("verify", "candidate.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert second.returncode == 0 and "cached" in second.stdout


def test_verify_different_exits_1_with_first_difference(workdir):
    copy_program("mini_gpt.py", workdir)
    copy_program("mini_gpt_loss_drift.py", workdir)
    result = golfkit("verify", "mini_gpt_loss_drift.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert result.returncode == 1
    assert "line 4: expected 'step    1 /    5 | loss 2.7403\\n', got 'step    1 /    5 | loss 2.7406\\n'" in result.stdout


def test_verify_against_expected_log_judges_stdout_and_status_not_stderr(workdir):
    copy_program("stderr_writer.py", workdir)
    (workdir / "expected.log").write_text("num docs: 3\nvocab size: 4\nnum params: 12\n")
    result = golfkit("verify", "stderr_writer.py", "--expected", "expected.log", cwd=workdir)
    # A log holds no stderr: a correct program that warns on stderr still matches it, and is told so.
    assert result.returncode == 0 and "identical (3 lines)" in result.stdout, result.stdout + result.stderr
    assert "writes to stderr, which --expected does not judge" in result.stderr
    (workdir / "expected.log").write_text("num docs: 3\nvocab size: 5\nnum params: 12\n")
    result = golfkit("verify", "stderr_writer.py", "--expected", "expected.log", cwd=workdir)
    assert result.returncode == 1 and "line 2: expected 'vocab size: 5\\n', got 'vocab size: 4\\n'" in result.stdout
    (workdir / "exits.py").write_text("print('num docs: 3')\nraise SystemExit(2)\n")
    (workdir / "expected.log").write_text("num docs: 3\n")
    result = golfkit("verify", "exits.py", "--expected", "expected.log", cwd=workdir)
    assert result.returncode == 1 and "exit status 2, expected 0" in result.stdout


def test_verify_quotes_the_first_differing_stderr_line(workdir):
    (workdir / "reference.py").write_text("import sys\nprint('x')\nfor w in 'abc': print(w, file=sys.stderr)\n")
    (workdir / "candidate.py").write_text("import sys\nprint('x')\nfor w in 'aXc': print(w, file=sys.stderr)\n")
    result = golfkit("verify", "candidate.py", "--reference", "reference.py", cwd=workdir)
    assert result.returncode == 1
    assert "stderr differs at line 2: expected 'b\\n', got 'X\\n'" in result.stdout


# A reference that prints four lines a second for a minute: a whole run of it takes far longer
# than the verdicts below may, and the broken candidate's fifth line comes after one second.
SLOW_REFERENCE = "import time\nfor i in range(240):\n    print(i, flush=True)\n    time.sleep(0.25)\n"


def test_verify_stops_both_runs_at_the_first_difference_when_the_reference_is_not_cached(workdir):
    (workdir / "reference.py").write_text(SLOW_REFERENCE)
    (workdir / "broken.py").write_text(SLOW_REFERENCE.replace("print(i,", "print(i if i != 4 else 'four',"))
    started = time.monotonic()
    result = golfkit("verify", "broken.py", "--reference", "reference.py", cwd=workdir)
    assert result.returncode == 1, result.stderr
    assert "line 5: expected '4\\n', got 'four\\n'" in result.stdout
    assert time.monotonic() - started < 30, "the verdict waited for the whole reference run"
    # The stopped reference left nothing cached: a later verify runs it again, side by side.
    started = time.monotonic()
    again = golfkit("verify", "broken.py", "--reference", "reference.py", cwd=workdir)
    assert again.returncode == 1 and time.monotonic() - started < 30


def test_verify_with_a_cached_reference_also_answers_a_broken_candidate_at_once(workdir):
    (workdir / "reference.py").write_text("for i in range(8):\n    print(i)\n")
    (workdir / "broken.py").write_text(SLOW_REFERENCE.replace("print(i,", "print(i if i != 4 else 'four',"))
    assert golfkit("verify", "reference.py", "--reference", "reference.py", cwd=workdir).returncode == 0
    started = time.monotonic()
    result = golfkit("verify", "broken.py", "--reference", "reference.py", cwd=workdir)
    assert result.returncode == 1 and "line 5: expected '4\\n', got 'four\\n'" in result.stdout
    assert time.monotonic() - started < 30


def test_verify_reports_a_crashing_reference_even_side_by_side(workdir):
    (workdir / "reference.py").write_text("print(1)\nraise ValueError('bad month')\n")
    (workdir / "candidate.py").write_text("print(1)\nprint(2)\n")
    result = golfkit("verify", "candidate.py", "--reference", "reference.py", cwd=workdir)
    assert result.returncode == 5 and "exits with status 1: ValueError: bad month" in result.stderr


def test_verify_never_reuses_a_run_of_a_program_found_not_deterministic(workdir, tmp_path):
    from golfkit.cache import RunCache
    from golfkit.runner import RunLimits, RunSpec
    from golfkit.verify import cache_key

    (workdir / "reference.py").write_text("print(1)\n")
    cache_dir = tmp_path / "xdg-cache" / "golfkit"
    assert golfkit("verify", "reference.py", "--reference", "reference.py", cwd=workdir).returncode == 0
    cache = RunCache(cache_dir)
    spec = RunSpec(b"print(1)\n", "reference.py")
    # The key verify uses: sandboxed or not as runs are here.
    cache.mark_nondeterministic(cache_key(spec, sys.executable, RunLimits.memory_limit_mb))
    result = golfkit("verify", "reference.py", "--reference", "reference.py", cwd=workdir)
    assert result.returncode == 0 and "cached" not in result.stdout
    assert "found not deterministic by an earlier build" in result.stderr


def test_verify_crash_is_different(workdir):
    copy_program("mini_gpt.py", workdir)
    copy_program("crash.py", workdir)
    result = golfkit("verify", "crash.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert result.returncode == 1 and "line 2" in result.stdout


def test_verify_usage_errors_exit_2(workdir):
    result = golfkit("verify", cwd=workdir)
    assert result.returncode == 2
    result = golfkit("verify", "x.py", "--bogus", cwd=workdir)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_verify_endless_candidate_times_out(workdir):
    copy_program("mini_gpt.py", workdir)
    (workdir / "slow.py").write_text((workdir / "mini_gpt.py").read_text() + "while True: pass\n")
    result = golfkit("verify", "slow.py", "--reference", "mini_gpt.py", "--timeout", "2", cwd=workdir)
    assert result.returncode == 1 and "timed out" in result.stdout


def test_compare_tells_metadata_loss_and_sample_verdicts_apart(workdir):
    for name in ("mini_gpt.py", "mini_gpt_no_metadata.py", "mini_gpt_loss_drift.py"):
        copy_program(name, workdir)
    result = golfkit("compare", "mini_gpt_no_metadata.py", "mini_gpt_loss_drift.py", "mini_gpt.py",
                     "--reference", "mini_gpt.py", cwd=workdir)
    assert result.returncode == 1, result.stderr
    [folder] = list((workdir / "run_results").iterdir())
    summary = (folder / "summary.txt").read_text()
    block = summary.split("\n\n")
    assert block[0].startswith("mini_gpt_no_metadata vs ") or "mini_gpt_no_metadata vs" in summary
    rows = {row["program"]: row for row in json.loads((folder / "summary.json").read_text())}
    no_metadata = rows["mini_gpt_no_metadata"]
    assert (no_metadata["loss_trace_match"], no_metadata["sample_output_match"], no_metadata["full_log_match"]) == (True, True, False)
    assert "loss trace match: yes\n  sample output match: yes\n  full log match: no" in summary
    drift = rows["mini_gpt_loss_drift"]
    assert (drift["loss_trace_match"], drift["sample_output_match"], drift["full_log_match"]) == (False, True, False)
    assert len(no_metadata["metadata"]) == 0 and len(drift["metadata"]) == 3
    for name in ("mini_gpt_no_metadata.log", "mini_gpt_no_metadata.loss.txt", "mini_gpt_no_metadata.samples.txt",
                 "mini_gpt_no_metadata.diff"):
        assert (folder / name).is_file()
    assert "-num docs: 3" in (folder / "mini_gpt_no_metadata.diff").read_text()


def test_verify_reads_a_latin1_packed_program_as_python_does(workdir):
    # The bytes target writes `#coding:l1` programs; verify must decode them by that declaration.
    copy_program("mini_gpt.py", workdir)
    packed = golfkit("pack", "mini_gpt.py", "--target", "bytes", "-o", "packed.py", cwd=workdir)
    assert packed.returncode == 0, packed.stderr
    data = (workdir / "packed.py").read_bytes()
    assert data.startswith(b"#coding:l1\n")
    result = golfkit("verify", "packed.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr


def test_verify_still_refuses_undeclared_non_utf8(workdir):
    (workdir / "bad.py").write_bytes(b"print('\xe9')\n")
    copy_program("mini_gpt.py", workdir)
    result = golfkit("verify", "bad.py", "--reference", "mini_gpt.py", cwd=workdir)
    assert result.returncode == 3 and "not UTF-8 (byte 7)" in result.stderr


def test_compare_microgpt_against_a_copy_without_metadata(workdir):
    # Moved from the slow tier: a quick microgpt (3 steps) logs in its full format (a loss line
    # every step, the 20 samples, the metadata), so the three judgements are checked on the
    # flagship program in seconds instead of a whole run.
    import pytest

    from golfkit.overrides import apply_overrides
    from tests.conftest import ROOT, dataset_path

    if dataset_path() is None:
        pytest.skip("the names dataset is not set up (scripts/setup.sh)")
    source = apply_overrides((ROOT / "reference" / "microgpt.py").read_text(), (("num_steps", "3"),))
    (workdir / "microgpt.py").write_text(source)
    metadata_prints = [line for line in source.splitlines(keepends=True)
                       if line.startswith('print(f"num ') or line.startswith('print(f"vocab ')]
    assert len(metadata_prints) == 3
    stripped = source
    for line in metadata_prints:
        stripped = stripped.replace(line, "")
    (workdir / "femtogpt.py").write_text(stripped)
    result = golfkit("compare", "femtogpt.py", "--reference", "microgpt.py", "--data", str(dataset_path()),
                     "--results", "run_results", cwd=workdir)
    assert result.returncode == 1, result.stderr
    [folder] = list((workdir / "run_results").iterdir())
    summary = (folder / "summary.txt").read_text()
    assert summary.startswith("femtogpt vs microgpt\n")
    assert "loss trace match: yes\n  sample output match: yes\n  full log match: no" in summary
    rows = {row["program"]: row for row in json.loads((folder / "summary.json").read_text())}
    assert len(rows["microgpt"]["metadata"]) == 3 and rows["femtogpt"]["metadata"] == []


def test_compare_says_n_a_for_traces_neither_log_has(workdir):
    (workdir / "hello.py").write_text("print('hello')\n")
    (workdir / "copy.py").write_text("print('hello')  # same\n")
    result = golfkit("compare", "copy.py", "--reference", "hello.py", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [folder] = list((workdir / "run_results").iterdir())
    summary = (folder / "summary.txt").read_text()
    assert "loss trace match: n/a\n  sample output match: n/a\n  full log match: yes" in summary
    assert "metadata: how many of the lines starting 'num docs:'" in summary
    assert "n/a" in result.stdout and "metadata: how many" in " ".join(result.stdout.split())


def test_a_failed_compare_leaves_no_results_folder(workdir):
    (workdir / "broken.py").write_text("print(\n")
    (workdir / "hello.py").write_text("print('hello')\n")
    result = golfkit("compare", "broken.py", "--reference", "hello.py", cwd=workdir)
    assert result.returncode == 3 and "syntax error" in result.stderr
    assert not (workdir / "run_results").exists()
