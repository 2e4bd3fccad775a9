"""Slow tier, first: the reference's plain run is bit-identical to the expected log. Its run lands
in the shared cache, where both full builds read it."""

import sys

import pytest

from golfkit.cache import RunCache
from golfkit.runner import RunLimits, RunSpec
from golfkit.verify import cached_run
from tests.conftest import dataset_path
from tests.microgpt_runs import REFERENCE, expected_log, reference_digest_ok, shared_cache_folder, slow_tier

pytestmark = slow_tier


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return shared_cache_folder(tmp_path_factory)


def test_reference_log_is_bit_identical(shared_cache):
    spec = RunSpec(REFERENCE.read_bytes(), REFERENCE.name, (dataset_path(),))
    result, _ = cached_run(spec, sys.executable, RunCache(shared_cache), RunLimits(timeout=7200), expected_log())
    assert result.mismatch is None, result.mismatch.describe()
    assert result.returncode == 0 and result.stderr == b""
    assert reference_digest_ok(result.stdout)
