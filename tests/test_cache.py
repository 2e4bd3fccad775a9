"""The run cache: content keys, atomic entries, corrupt entries never trusted."""

import json
import sys

from golfkit.cache import RunCache, run_key
from golfkit.runner import RunLimits, RunResult, RunSpec, run_program
from golfkit.verify import cache_key, cached_run


def test_round_trip_and_clear(cache_dir):
    cache = RunCache(cache_dir)
    result = RunResult(b"out\n", b"err", 0, 1.5, 1234)
    cache.put("ab" * 32, result)
    assert cache.get("ab" * 32) == result
    assert cache.clear() == 1 and cache.get("ab" * 32) is None


def test_key_covers_program_dataset_and_interpreter(tmp_path):
    data = tmp_path / "d.txt"
    data.write_text("x")
    base = RunSpec(b"print(1)\n", "p.py", (data,))
    key = run_key(base, sys.executable)
    assert run_key(RunSpec(b"print(2)\n", "p.py", (data,)), sys.executable) != key
    assert run_key(RunSpec(b"print(1)\n", "q.py", (data,)), sys.executable) != key
    assert run_key(RunSpec(b"print(1)\n", "p.py"), sys.executable) != key
    data.write_text("y")
    assert run_key(RunSpec(b"print(1)\n", "p.py", (data,)), sys.executable) != key


def test_corrupt_entries_are_discarded_and_recomputed(cache_dir):
    cache = RunCache(cache_dir)
    spec = RunSpec(b"print('fresh')\n")
    key = cache_key(spec, sys.executable, RunLimits.memory_limit_mb)  # the key cached_run uses here
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
    assert cache.get(cache_key(endless, sys.executable, RunLimits.memory_limit_mb)) is None
    diverging = RunSpec(b"print('a')\nprint('b')\nwhile 1: pass\n")
    result, _ = cached_run(diverging, sys.executable, cache, RunLimits(timeout=30), expected=b"a\nc\n")
    assert result.mismatch.line == 2
    again, cached = cached_run(diverging, sys.executable, cache, RunLimits(timeout=30), expected=b"a\nc\n")
    assert cached and again.mismatch.line == 2
    # Against a log the stored prefix cannot settle, it runs again rather than guess.
    third, cached = cached_run(diverging, sys.executable, cache, RunLimits(timeout=1), expected=b"a\nb\nc\n")
    assert not cached and third.timed_out


# --- pass results --------------------------------------------------------------------------------

PROGRAM = "# a comment\nx = 1  # another\nprint(x)\n"


def _strip_build(workdir, cache_dir):
    from golfkit.build import Builder
    from golfkit.options import Options
    from golfkit.passes import default_pipeline

    source = workdir / "prog.py"
    source.write_text(PROGRAM)
    options = Options(source=source, out_dir=workdir / "build", pack=False, cache_dir=cache_dir, max_rounds=2)
    return Builder(options, passes=default_pipeline(("strip",))).build()


def test_a_rebuild_applies_no_pass_again(workdir, cache_dir, monkeypatch):
    from golfkit.passes.strip import StripPass

    first = _strip_build(workdir, cache_dir)

    def must_not_run(self, source, context, edits):
        raise AssertionError("applied again")

    monkeypatch.setattr(StripPass, "apply", must_not_run)
    again = _strip_build(workdir, cache_dir)
    assert again.final_path.read_text() == first.final_path.read_text() == "x = 1\nprint(x)\n"
    assert again.report["runs_made"] == 0
    assert [s["verdict"] for s in again.report["stages"]] == [s["verdict"] for s in first.report["stages"]]


def test_corrupt_pass_results_are_recomputed(workdir, cache_dir):
    from golfkit.cache import PassCache

    first = _strip_build(workdir, cache_dir)
    entries = list(PassCache(cache_dir).folder.rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text(entry.read_text().replace("x = 1", "x = 2"))
    again = _strip_build(workdir, cache_dir)
    assert again.final_path.read_text() == first.final_path.read_text()


def test_pass_keys_cover_code_input_and_run_facts(monkeypatch):
    from golfkit import cache

    base = cache.PassCache.key("strip", PROGRAM, "lines=none")
    assert base != cache.PassCache.key("strip", PROGRAM + "\n", "lines=none")
    assert base != cache.PassCache.key("strip", PROGRAM, "lines=1,2")
    assert base != cache.PassCache.key("inline", PROGRAM, "lines=none")
    monkeypatch.setattr(cache, "golfkit_code_digest", lambda: "other code")
    assert base != cache.PassCache.key("strip", PROGRAM, "lines=none")


def test_pass_results_are_kept_apart_per_target_contract_and_blocked_sites(cache_dir):
    """Whether an output counts as shorter depends on the target, and which sites apply on the
    sites known to break, so the key covers both."""
    from types import SimpleNamespace

    from golfkit.cache import PassCache
    from golfkit.passes import load_pass
    from golfkit.pipeline import Pipeline

    pool = SimpleNamespace(verifier=SimpleNamespace(reference=None))
    strip = load_pass("strip")
    keys = {
        Pipeline([], pool, target, contract=contract, pass_cache=PassCache(cache_dir)).pass_cache_key(
            strip, PROGRAM, None, blocked)
        for target in ("chars", "bytes") for contract in (True, False)
        for blocked in (frozenset(), frozenset({"x = 1#0"}), frozenset({"x = 1#0", "print(x)#0"}))
    }
    assert len(keys) == 12


def test_two_callers_wanting_the_same_uncached_run_make_it_once(cache_dir, tmp_path):
    # Each run appends a line to a file outside its run folder (made writable for it): the lines
    # count the runs made.
    import threading

    counter = tmp_path / "runs.txt"
    program = f"import time\nopen({str(counter)!r}, 'a').write('run\\n')\ntime.sleep(1)\nprint('done')\n".encode()
    spec = RunSpec(program)
    results = []

    def want_it():
        results.append(cached_run(spec, sys.executable, RunCache(cache_dir), RunLimits(timeout=30, writable=(tmp_path,))))

    threads = [threading.Thread(target=want_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.read_text() == "run\n"
    assert sorted(cached for _, cached in results) == [False, True]
    assert all(result.stdout == b"done\n" for result, _ in results)
