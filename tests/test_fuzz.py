"""Fuzz: random and mutated Python sources through `golfkit build` and `golfkit pack`.

Seeds are the corpus and test programs; mutations delete, duplicate and swap lines, flip
characters, insert bytes that are not UTF-8, and truncate; random sources are token soups and raw
bytes. Every outcome must be one of two kinds:

* a verified result: exit 0 and an output file that, for `build`, run, prints what the source
  prints (when the source prints the same twice), and, for `pack`, hands `exec` the source's
  exact text (or is the source itself);
* a clean error: an exit code of golfkit.errors.ExitCode and a single line on stderr
  (``golfkit: error: ...``, or click's usage error), never a traceback.

golfkit is called in-process (`golfkit.cli.main`) for speed; its runs are still processes.
Run with ``-s`` to see the outcome figures.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.cli import main
from golfkit.errors import ExitCode
from tests.conftest import PROGRAMS, ROOT
from tests.reliability_cases import cheap_passes

SEEDS = sorted((ROOT / "tests" / "corpus").glob("*.py")) + sorted(
    path for path in PROGRAMS.glob("*.py") if path.name != "endless.py"  # endless only costs time
)
CLEAN_EXITS = {value for name, value in vars(ExitCode).items() if name.isupper()} - {ExitCode.OK, ExitCode.INTERNAL}
NAMES = {value: name for name, value in vars(ExitCode).items() if name.isupper()}
RUN_TIMEOUT = 3  # seconds per run: a mutation can turn a loop endless

# Pieces of Python: a soup of them is sometimes a program, more often a syntax error.
TOKENS = [
    "print(", ")", "(", "x", "y", "=", "==", "1", "2.5", "'a'", '"b"', "f'{x}'", "+", "*", "-", "/", "%",
    ",", ":", "\n", "    ", "for i in range(3):", "while x < 3:", "if x:", "else:", "def f(a):", "return",
    "lambda a: a", "[", "]", "{", "}", "x += 1", "import math", "math.pi", "class C:", "pass", "#", "\\",
    "try:", "except Exception:", "yield", "not", "and", "in", "None", "True", "é", "\t", "\r\n",
]
BAD_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xfe\xff", b"\x00"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = seed.read_bytes()
    names = []
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\n")
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "non-utf8", "truncate"]))
        names.append(kind)
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[index], lines[other] = lines[other], lines[index]
        if kind in ("delete", "duplicate", "swap"):
            data = b"\n".join(lines)
        elif kind == "flip":
            char = draw(st.sampled_from(list(b"()[]{}:=+-*/.,'\"# \t\nxyz019"))).to_bytes(1, "big")
            data = data[:position] + char + data[position + 1:]
        elif kind == "non-utf8":
            data = data[:position] + draw(st.sampled_from(BAD_BYTES)) + data[position:]
        else:
            data = data[:position]
    return f"{seed.stem}: {'+'.join(names)}", data


@st.composite
def random_source(draw) -> tuple[str, bytes]:
    if draw(st.booleans()):
        return "token soup", "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=40))).encode()
    return "random bytes", draw(st.binary(max_size=200))


# Three parts mutations of real programs to one part random input.
SOURCES = st.one_of(mutated(), mutated(), mutated(), random_source())


class _Hung(BaseException):
    """golfkit did not return in time (a BaseException so that nothing inside catches it)."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    def expire(number, frame):
        raise _Hung(f"golfkit still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def golfkit(args: list[str], cwd: Path, limit: float = 120) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _time_limit(limit):
        try:
            main(args)
        except SystemExit as stop:
            code = 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def run_python(path: Path, timeout: float = 30) -> tuple[int, bytes] | None:
    """Exit status and stdout of a program run in a fresh folder; None when it does not end
    (generous: golfkit saw it end within RUN_TIMEOUT, but the machine may be busy)."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "prog.py").write_bytes(path.read_bytes())
        try:
            done = subprocess.run([sys.executable, "prog.py"], cwd=folder, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout, start_new_session=True)
        except subprocess.TimeoutExpired:
            return None
        return done.returncode, done.stdout


class _Captured(BaseException):
    pass


def unpacks_to(packed: bytes, source: bytes, stages: int = 3) -> bool:
    """The packed file's stub, and each further stub it unpacks (two-stage schemes), end by
    handing ``exec`` exactly the source: every stage runs with an ``exec`` that only records what
    it is given. The source itself is never run."""

    def capture(code, *args, **kwargs):
        raise _Captured(code, *args)

    namespace = {"__name__": "__main__", "__builtins__": {**vars(builtins), "exec": capture}}
    code: str | bytes = packed
    stubs: list[bytes] = []  # every stage's own code, where a merged import line may sit
    for _ in range(stages):
        stubs.append(code.encode("utf-8", "surrogatepass") if isinstance(code, str) else code)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, "packed.py", "exec"), namespace)
        except _Captured as captured:
            code, *scope = captured.args
            if scope and isinstance(scope[0], dict):  # a stage that names its own globals
                namespace = scope[0]
                namespace.setdefault("__builtins__", {**vars(builtins), "exec": capture})
        else:
            return False  # ended without handing anything to exec
        assert isinstance(code, (str, bytes)), f"exec was handed {type(code).__name__}, not text"
        handed = code.encode("utf-8", "surrogatepass") if isinstance(code, str) else code
        if handed == source or any(merged_import_restores(stub, handed, source) for stub in stubs):
            return True
    return False


def merged_import_restores(stub: bytes, handed: bytes, source: bytes) -> bool:
    """A packed file's decoder may take the program's leading ``import a,b`` into its own
    ``import zlib,a,b`` and hand ``exec`` the rest: the imports it adds, put back in front, give
    the source."""
    match = re.search(rb"import zlib,([^\n;]+)", stub)
    if match is None:
        return False
    try:
        restored = ast.parse(b"import " + match.group(1) + b"\n" + handed)
        original = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return ast.dump(restored) == ast.dump(original)


def judge_outcome(code: int, stderr: str, what: str) -> str:
    """The outcome's kind for a failed command; fails the test unless it is a clean error."""
    assert "Traceback" not in stderr, f"{what}: traceback\n{stderr}"
    assert code in CLEAN_EXITS, f"{what}: exit {code} is no clean error code\n{stderr}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    if any(line.startswith("Error: ") for line in lines):  # click's usage error
        return "usage error"
    assert len(lines) == 1 and lines[0].startswith("golfkit: error: "), f"{what}: not one clean line\n{stderr}"
    kind = NAMES[code].lower()
    if code == ExitCode.REFERENCE:
        kind += ": not deterministic" if "not deterministic" in lines[0] else ": fails"
    if code == ExitCode.SOURCE:
        kind += ": not UTF-8" if "not UTF-8" in lines[0] else ": syntax" if "syntax error" in lines[0] else ": other"
    return kind


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="golfkit-fuzz-") as folder:
        yield Path(folder)


BUILD_FIGURES: Counter = Counter()
PACK_FIGURES: Counter = Counter()


def test_build_fuzz(scratch):
    passes = cheap_passes()
    cache = scratch / "cache"

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
    @given(SOURCES)
    def build_one(example):
        what, data = example
        folder = Path(tempfile.mkdtemp(dir=scratch))
        source = folder / "prog.py"
        source.write_bytes(data)
        code, _, stderr = golfkit(
            ["build", str(source), "--no-pack", f"--passes={passes}", "--timeout", str(RUN_TIMEOUT), "--jobs", "2",
             "--out-dir", str(folder / "build"), "--cache-dir", str(cache), "-q"], folder)
        if code != 0:
            BUILD_FIGURES[judge_outcome(code, stderr, what)] += 1
            return
        final = folder / "build" / "chars" / "prog.py"
        assert final.is_file(), f"{what}: exit 0 without a result"
        expected, actual = run_python(source), run_python(final)
        assert expected is not None and actual is not None, f"{what}: a verified program that does not end"
        if actual != expected and run_python(source) != expected:
            # Two runs agreed inside golfkit by chance (e.g. the order of a small set of strings).
            BUILD_FIGURES["verified (source not deterministic: not compared)"] += 1
            return
        assert actual == expected, f"{what}: verified, yet prints otherwise\n{final.read_text()}"
        BUILD_FIGURES["verified" if final.read_bytes() != data else "verified (unchanged)"] += 1

    build_one()
    print(f"\nbuild fuzz: {sum(BUILD_FIGURES.values())} examples: {dict(BUILD_FIGURES.most_common())}")


def test_pack_fuzz(scratch):
    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
    @given(SOURCES, st.sampled_from(["chars", "bytes"]), st.sampled_from(["file", "stdin"]))
    def pack_one(example, target, judge):
        what, data = example
        folder = Path(tempfile.mkdtemp(dir=scratch))
        source, packed = folder / "prog.py", folder / "packed.py"
        source.write_bytes(data)
        code, _, stderr = golfkit(["pack", str(source), "--target", target, "--judge", judge,
                                   "--codecs", "zlib,lzma", "-o", str(packed)], folder, limit=60)
        if code != 0:
            PACK_FIGURES[judge_outcome(code, stderr, what)] += 1
            return
        assert packed.is_file(), f"{what}: exit 0 without a packed file"
        result = packed.read_bytes()
        if result == data:
            PACK_FIGURES["written unpacked (shortest)"] += 1
            return
        assert unpacks_to(result, data), f"{what}: packed ({target}, {judge}) does not unpack to the source"
        PACK_FIGURES["packed, unpacks to the source"] += 1

    pack_one()
    print(f"\npack fuzz: {sum(PACK_FIGURES.values())} examples: {dict(PACK_FIGURES.most_common())}")
