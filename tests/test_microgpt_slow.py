"""Full microgpt runs (minutes each). Marked slow; CI runs them. One cache serves the whole
module, so the reference runs once and each build re-verifies only what changed."""

import hashlib
import json
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
