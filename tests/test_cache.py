"""The run cache: content keys, atomic entries, corrupt entries never trusted."""

import json
import sys

from golfkit.cache import RunCache, run_key
from golfkit.runner import RunLimits, RunResult, RunSpec, run_program
from golfkit.verify import cached_run


def test_round_trip_and_clear(cache_dir):
    cache = RunCache(cache_dir)
    result = RunResult(b"out\n", b"err", 0, 1.5, 1234)
    cache.put("ab" * 32, result)
    assert cache.get("ab" * 32) == result
    assert cache.clear() == 1 and cache.get("ab" * 32) is None


def test_key_covers_program_dataset_and_interpreter(tmp_path):
    data = tmp_path / "d.txt"
    data.write_text("x")
    base = RunSpec(b"print(1)\n", "p.py", data)
    key = run_key(base, sys.executable)
    assert run_key(RunSpec(b"print(2)\n", "p.py", data), sys.executable) != key
    assert run_key(RunSpec(b"print(1)\n", "q.py", data), sys.executable) != key
    assert run_key(RunSpec(b"print(1)\n", "p.py", None), sys.executable) != key
    data.write_text("y")
    assert run_key(RunSpec(b"print(1)\n", "p.py", data), sys.executable) != key


def test_corrupt_entries_are_discarded_and_recomputed(cache_dir):
    cache = RunCache(cache_dir)
    spec = RunSpec(b"print('fresh')\n")
    key = run_key(spec, sys.executable)
    cache.put(key, RunResult(b"fresh\n", b"", 0, 0.1, 1))
    path = cache._path(key)
    envelope = json.loads(path.read_text())
    envelope["body"]["stdout"] = "c3RhbGUK"  # "stale\n" without a matching checksum
    path.write_text(json.dumps(envelope))
    result, cached = cached_run(spec, sys.executable, cache, RunLimits())
    assert not cached and result.stdout == b"fresh\n" and cache.discarded == 1
    path.write_text('{"format": 1, "key": ')  # half-written
    assert cache.get(key) is None and cache.discarded == 2


def test_unchanged_program_is_not_run_again(cache_dir):
    cache = RunCache(cache_dir)
    spec = RunSpec(b"print('once')\n")
    first, cached_first = cached_run(spec, sys.executable, cache, RunLimits())
    second, cached_second = cached_run(spec, sys.executable, cache, RunLimits())
    assert not cached_first and cached_second and second.stdout == first.stdout


def test_disabled_cache_always_runs(cache_dir):
    cache = RunCache(cache_dir, enabled=False)
    spec = RunSpec(b"print('x')\n")
    cached_run(spec, sys.executable, cache, RunLimits())
    assert not cached_run(spec, sys.executable, cache, RunLimits())[1]


def test_timeouts_are_not_cached_but_divergences_are(cache_dir):
    cache = RunCache(cache_dir)
    endless = RunSpec(b"while 1: pass\n")
    cached_run(endless, sys.executable, cache, RunLimits(timeout=0.5))
    assert cache.get(run_key(endless, sys.executable)) is None
    diverging = RunSpec(b"print('a')\nprint('b')\nwhile 1: pass\n")
    result, _ = cached_run(diverging, sys.executable, cache, RunLimits(timeout=30), expected=b"a\nc\n")
    assert result.mismatch.line == 2
    again, cached = cached_run(diverging, sys.executable, cache, RunLimits(timeout=30), expected=b"a\nc\n")
    assert cached and again.mismatch.line == 2
    # Against a log the stored prefix cannot settle, it runs again rather than guess.
    third, cached = cached_run(diverging, sys.executable, cache, RunLimits(timeout=1), expected=b"a\nb\nc\n")
    assert not cached and third.timed_out
