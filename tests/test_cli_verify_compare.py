"""`golfkit verify` and `golfkit compare` through the installed command line."""

import json
import subprocess
import sys
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


def test_verify_against_expected_log(workdir):
    copy_program("stderr_writer.py", workdir)
    (workdir / "expected.log").write_text("num docs: 3\nvocab size: 4\nnum params: 12\n")
    result = golfkit("verify", "stderr_writer.py", "--expected", "expected.log", cwd=workdir)
    # stderr is part of the verdict: the log alone says the program writes none.
    assert result.returncode == 1 and "stderr differs" in result.stdout


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
