"""Full microgpt runs (minutes each). Marked slow; CI runs them. One cache serves the whole
module, so the reference runs once and each build re-verifies only what changed."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from golfkit.cache import RunCache
from golfkit.runner import RunLimits, RunSpec
from golfkit.verify import cached_run
from tests.conftest import ROOT, SHARED, dataset_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(dataset_path() is None, reason="the names dataset is not set up (scripts/setup.sh)"),
]

REFERENCE = ROOT / "reference" / "microgpt.py"
EXPECTED_LOG = SHARED / "microgpt.expected.log"
EXPECTED_SHA256 = "afba81c45f1b2d6e4debeba6d37e27fa94484042b8d06a0abf7af224d2f6dd3f"


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("microgpt-cache")


def golfkit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=3600)


def expected_log() -> bytes:
    if EXPECTED_LOG.is_file():
        return EXPECTED_LOG.read_bytes()
    pytest.skip("../shared/microgpt.expected.log is not present")


def test_reference_log_is_bit_identical(shared_cache):
    spec = RunSpec(REFERENCE.read_bytes(), REFERENCE.name, dataset_path())
    result, _ = cached_run(spec, sys.executable, RunCache(shared_cache), RunLimits(timeout=3600), expected_log())
    assert result.mismatch is None, result.mismatch.describe()
    assert result.returncode == 0 and result.stderr == b""
    assert hashlib.sha256(result.stdout).hexdigest() == EXPECTED_SHA256


def test_compare_reference_against_a_copy_without_metadata(tmp_path, shared_cache):
    source = REFERENCE.read_text()
    metadata_prints = [line for line in source.splitlines(keepends=True)
                       if line.startswith('print(f"num ') or line.startswith('print(f"vocab ')]
    assert len(metadata_prints) == 3
    stripped = source
    for line in metadata_prints:
        stripped = stripped.replace(line, "")
    candidate = tmp_path / "femtogpt.py"
    candidate.write_text(stripped)
    result = golfkit("compare", str(candidate), "--reference", str(REFERENCE), "--data", str(dataset_path()),
                     "--cache-dir", str(shared_cache), "--results", str(tmp_path / "run_results"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [folder] = list((tmp_path / "run_results").iterdir())
    summary = (folder / "summary.txt").read_text()
    assert summary.startswith("femtogpt vs microgpt\n")
    assert "loss trace match: yes\n  sample output match: yes\n  full log match: no" in summary


def _minifier_bytes() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from golf_sizes import most_aggressive_minifier

    return len(most_aggressive_minifier(REFERENCE.read_text()).encode())


@pytest.mark.parametrize("target", ["chars", "bytes"])
def test_full_build_ends_with_a_verified_packed_program(target, tmp_path, shared_cache):
    # Intermediates pre-checked under PyPy when set-up installed it (about 4x faster runs); the
    # final file is verified under this interpreter either way, and once more below.
    precheck = ("--precheck-python", "pypy3") if shutil.which("pypy3") else ()
    result = golfkit("build", str(REFERENCE), "--target", target, "--data", str(dataset_path()),
                     "--cache-dir", str(shared_cache), "--out-dir", str(tmp_path / "build"), "--json", *precheck,
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert not report["overrides"] and report["final"]["verified"]
    stages = report["stages"]
    # A parity verdict for every pass; a rejected pass is reported, never part of the result; a
    # declined text is reported with its reason.
    assert all(stage["verdict"] in ("verified", "partial", "rejected", "no change", "not shorter", "skipped")
               for stage in stages), stages
    unpacked = [stage for stage in stages if stage["name"] != "pack" and stage["verdict"] == "verified"][-1]
    assert unpacked["bytes"] < _minifier_bytes()
    final = tmp_path / "build" / target / "femtogpt.py"
    assert report["pack"]["chosen"] != "unpacked"
    # The packed file itself, run once more from outside the build: the full expected log.
    verdict = golfkit("verify", str(final), "--expected", str(EXPECTED_LOG), "--data", str(dataset_path()),
                      "--cache-dir", str(shared_cache), cwd=tmp_path)
    assert verdict.returncode == 0, verdict.stdout
    if target == "chars":
        assert report["final"]["chars"] < 1298
    else:
        assert report["final"]["bytes"] < 2530
