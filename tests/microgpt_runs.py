"""What the slow tier's modules share: the microgpt reference, its expected log, one run cache for
the whole test run (every worker's), and the full build each target module checks.

The slow tier is split into modules so the two test workers share it: the reference check runs
first on one worker while the chars build starts on the other, and the bytes build follows the
reference check. Runs in the shared cache are claimed while made, so the reference run, the traced
run and the candidates two builds have in common are each made once and read by the others."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, dataset_path

REFERENCE = ROOT / "reference" / "microgpt.py"
EXPECTED_LOG = SHARED / "microgpt.expected.log"
EXPECTED_SHA256 = "afba81c45f1b2d6e4debeba6d37e27fa94484042b8d06a0abf7af224d2f6dd3f"
# Runs may be slow on a loaded machine: longer than golfkit's default limit for a reference.
RUN_LIMIT = "3600"

slow_tier = [
    pytest.mark.slow,
    pytest.mark.skipif(dataset_path() is None, reason="the names dataset is not set up (scripts/setup.sh)"),
]


def shared_cache_folder(tmp_path_factory) -> Path:
    """One cache folder for the whole test run: under xdist, beside the workers' own folders."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "microgpt-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def golfkit(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "golfkit", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=7200)


def expected_log() -> bytes:
    if EXPECTED_LOG.is_file():
        return EXPECTED_LOG.read_bytes()
    pytest.skip("../shared/microgpt.expected.log is not present")


def reference_digest_ok(stdout: bytes) -> bool:
    return hashlib.sha256(stdout).hexdigest() == EXPECTED_SHA256


def minifier_bytes() -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from golf_sizes import most_aggressive_minifier

    return len(most_aggressive_minifier(REFERENCE.read_text()).encode())


def check_full_build(target: str, tmp_path: Path, cache: Path) -> dict:
    """A full build of the reference for ``target`` ends with a verified packed program, smaller
    than the minifier's best; returns its report."""
    expected_log()
    # Intermediates are judged by PyPy when it is installed and reproduces the reference
    # (--precheck-python auto, the default); the final file under this interpreter either way.
    result = golfkit("build", str(REFERENCE), "--target", target, "--data", str(dataset_path()),
                     "--cache-dir", str(cache), "--out-dir", str(tmp_path / "build"), "--json",
                     "--timeout", RUN_LIMIT, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert not report["overrides"] and report["final"]["verified"]
    stages = report["stages"]
    # A parity verdict for every pass; a rejected pass is reported, never part of the result; a
    # declined text is reported with its reason.
    assert all(stage["verdict"] in ("verified", "partial", "rejected", "no change", "not shorter", "skipped")
               for stage in stages), stages
    # Judged by the size that ships: no kept stage makes the packed file larger (its raw deflate
    # size may grow a little where the packer's own stream shrinks).
    kept = [stage for stage in stages if stage["name"] != "pack" and stage["verdict"] in ("verified", "partial")]
    shipped = [report["reference"]["shipped"], *(stage["shipped"] for stage in kept)]
    growth = {f"{stage['step']}-{stage['name']}": after - before for stage, before, after in zip(kept, shipped, shipped[1:])}
    assert max(growth.values(), default=0) <= 0, growth
    unpacked = [stage for stage in stages if stage["name"] != "pack" and stage["verdict"] == "verified"][-1]
    assert unpacked["bytes"] < minifier_bytes()
    final = tmp_path / "build" / target / report["final"]["file"]
    assert report["pack"]["chosen"] != "unpacked"
    # The packed file itself, run once more from outside the build: the full expected log.
    verdict = golfkit("verify", str(final), "--expected", str(EXPECTED_LOG), "--data", str(dataset_path()),
                      "--cache-dir", str(cache), "--timeout", RUN_LIMIT, cwd=tmp_path)
    assert verdict.returncode == 0, verdict.stdout
    return report
