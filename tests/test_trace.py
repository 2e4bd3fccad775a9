"""The line tracer behind contract pruning, on small programs; plus the microgpt helpers shared by
the scope-aware pass tests (a shortened run of the reference in a folder holding the dataset)."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from golfkit.errors import RunTimeout
from golfkit.trace import TraceError, executed_lines
from tests.support import dedent

ROOT = Path(__file__).resolve().parent.parent
MICROGPT = ROOT / "reference" / "microgpt.py"
DATASET_CANDIDATES = (ROOT / "input.txt", ROOT.parent / "shared" / "input.txt", Path("/work/shared/input.txt"))


# --- microgpt helpers --------------------------------------------------------------------------


def microgpt_source(steps: int = 3) -> str:
    """The reference with ``num_steps`` cut down, so that a run takes seconds."""
    text = MICROGPT.read_text(encoding="utf-8")
    assert "num_steps = 1000" in text
    return text.replace("num_steps = 1000", f"num_steps = {steps}")


@lru_cache(maxsize=1)
def microgpt_folder() -> Path:
    """A scratch folder holding the names dataset as input.txt (skips when it is missing)."""
    dataset = next((path for path in DATASET_CANDIDATES if path.is_file()), None)
    if dataset is None:
        pytest.skip("the names dataset (input.txt) is not available")
    folder = Path(tempfile.mkdtemp(prefix="golfkit-microgpt-"))
    atexit.register(shutil.rmtree, folder, True)
    shutil.copyfile(dataset, folder / "input.txt")
    return folder


def run_microgpt(source: str) -> subprocess.CompletedProcess:
    folder = microgpt_folder()
    program = folder / f"prog-{hashlib.sha256(source.encode()).hexdigest()[:12]}.py"
    program.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, program.name], cwd=folder, capture_output=True, text=True, timeout=300
    )


def microgpt_stdout(source: str) -> str:
    """stdout of a successful run, cached on disk by source and interpreter (the reference run is
    shared by every pass's test)."""
    key = hashlib.sha256(f"{sys.version}\n{source}".encode()).hexdigest()
    cache = Path(tempfile.gettempdir()) / "golfkit-test-runs" / f"{key}.out"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    run = run_microgpt(source)
    assert run.returncode == 0, run.stderr
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(run.stdout, encoding="utf-8")
    return run.stdout


def assert_microgpt_output_kept(before: str, after: str) -> None:
    run = run_microgpt(after)
    assert run.returncode == 0, run.stderr
    assert run.stdout == microgpt_stdout(before)


# --- the tracer ---------------------------------------------------------------------------------

PROGRAM = dedent(
    """
    def kind(x):
        if x > 5:
            return "big"
        return "small"


    for i in range(3):
        print(kind(i))
    if False:
        print("never")
    """
)


def test_records_the_executed_lines(tmp_path):
    # Lines 3 and 10 never run; def lines run when the def statement executes.
    assert executed_lines(PROGRAM, tmp_path) == {1, 2, 4, 7, 8, 9}


def test_runs_in_the_given_folder(tmp_path):
    (tmp_path / "data.txt").write_text("hello")
    source = dedent(
        """
        with open("data.txt") as handle:
            text = handle.read()
        if text != "hello":
            print("wrong folder")
        """
    )
    assert executed_lines(source, tmp_path) == {1, 2, 3}


def test_records_lines_of_threads_and_exits(tmp_path):
    # Blocks, not single lines: the module body ran, so the line after sys.exit counts as executed
    # (an over-approximation, the safe direction for pruning); the thread's function body ran.
    source = dedent(
        """
        import sys, threading

        def work():
            print("in thread")

        def idle():
            print("never called")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        sys.exit(0)
        print("after exit")
        """
    )
    assert executed_lines(source, tmp_path) == {1, 3, 4, 6, 9, 10, 11, 12, 13}


def test_a_rarely_taken_branch_in_a_hot_function_is_seen(tmp_path):
    source = dedent(
        """
        def step(n):
            if n == 4990:
                return -1
            elif n < 0:
                return 0
            return n

        total = sum(step(n) for n in range(5000))
        print(total)
        """
    )
    assert executed_lines(source, tmp_path) == {1, 2, 3, 4, 6, 8, 9}


def test_headers_belong_to_the_enclosing_block_and_class_bodies_run_with_it(tmp_path):
    source = dedent(
        """
        class Point:
            size = 2

            def unused(self):
                return 1

            def used(self):
                "docstring stays first"
                return 2

        try:
            value = Point().used()
        except (
            ValueError
        ):
            value = 0
        else:
            value += Point.__doc__ is None
        while False: print("x")
        print(value, Point.used.__doc__)
        """
    )
    assert executed_lines(source, tmp_path) == {1, 2, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 18, 19, 20}


def test_instrumenting_keeps_behaviour(tmp_path):
    from golfkit.trace import instrument

    source = dedent(
        """
        def gen():
            "doc"
            for i in range(3):
                if i % 2: yield i
                else: continue
            while True:
                break
            else:
                pass

        def f(): "only doc"
        print(list(gen()), gen.__doc__, f.__doc__, f())
        """
    )
    probed = instrument(source)
    assert probed.source != source and probed.probes > 1
    namespace = {"__golfkit_probe__": bytearray(probed.probes)}
    import contextlib
    import io

    plain, instrumented = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(plain):
        exec(compile(source, "p", "exec"), {})
    with contextlib.redirect_stdout(instrumented):
        exec(compile(probed.source, "p", "exec"), namespace)
    assert plain.getvalue() == instrumented.getvalue() == "[1] doc only doc None\n"


def test_a_failing_run_is_an_error(tmp_path):
    with pytest.raises(TraceError, match="ZeroDivisionError"):
        executed_lines("print(1)\nprint(1 / 0)\n", tmp_path)


def test_a_slow_run_times_out(tmp_path):
    with pytest.raises(RunTimeout):
        executed_lines("import time\ntime.sleep(10)\n", tmp_path, timeout=1)


@pytest.mark.parametrize("sandboxed", [False, True])
def test_a_traced_reference_run_gives_the_same_lines_sandboxed(sandboxed, cache_dir):
    """The probed run writes its findings to a scratch folder outside its run folder, which a
    sandboxed run may write only because it is bound writable for it."""
    from golfkit.cache import RunCache
    from golfkit.options import Options
    from golfkit.pipeline import SilentListener, digest
    from golfkit.reference import ReferenceRunner
    from golfkit.runner import RunSpec
    from golfkit.sandbox import RUN_SANDBOX, sandbox_status

    if sandboxed and not sandbox_status(RUN_SANDBOX).available:
        pytest.skip("sandboxed runs cannot run here")
    options = Options(precheck_python="none", sandbox=sandboxed, cache_dir=cache_dir)
    runs = ReferenceRunner(options, RunCache(cache_dir), SilentListener()).run(
        RunSpec(PROGRAM.encode()), "prog.py", True, digest(PROGRAM))
    assert runs.trace_note is None and runs.executed_lines == {digest(PROGRAM): {1, 2, 4, 7, 8, 9}}
