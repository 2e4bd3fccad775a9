"""Packer payloads without waste: minimal escapes in every literal, bare backslashes only where
they are safe (or flagged ``+bare``), the leading import merged into the decoder's, and the
``utf8`` judge."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.options import JUDGES, Options
from golfkit.pack import pack, pack_payload
from golfkit.pack.ascii import ascii_programs
from golfkit.pack.chars import astral_programs
from golfkit.pack.check import decode_payload, is_stdin_safe, self_check
from golfkit.pack.codecs import CODECS, compress
from golfkit.pack.imports import leading_import
from golfkit.pack.latin1 import best_literal, latin1_programs
from golfkit.pack.literals import ESCAPE_STARTERS, QUOTES, escapes_added, literals, quoted, raw_quoted

pytestmark = pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")

# Bytes that stress the escape rules: the escape starters, quotes, NUL, CR, LF, backslashes,
# bytes above 127 (a backslash before them needs no escape).
STRESS = st.binary(max_size=120) | st.lists(
    st.sampled_from(b"\\\\\\'\"\0\r\n0789xNuUqZ\x80\xe9\xff"), max_size=60
).map(bytes)


def newer_python() -> str | None:
    """A Python 3.12 or later, where invalid escapes print a SyntaxWarning, if this machine has one."""
    for name in ("python3.13", "python3.12"):
        found = shutil.which(name)
        candidates = [found] if found else []
        candidates += sorted(Path.home().glob(f".pyenv/versions/3.1[23]*/bin/{name}"))
        for path in candidates:
            probe = subprocess.run([str(path), "-c", "print(1)"], capture_output=True)
            if probe.returncode == 0:
                return str(path)
    return None


def compile_silently(source: bytes):
    """Compile as ``python file`` would, failing on any warning at all."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return compile(source, "<literal>", "exec", dont_inherit=True)


def latin1_value(literal: str, *, strict: bool) -> bytes:
    source = f"#coding:l1\nx=bytes({literal},'l1')".encode("latin-1")
    namespace = {}
    code = compile_silently(source) if strict else compile(source, "<literal>", "exec", dont_inherit=True)
    exec(code, namespace)
    return namespace["x"]


# -- every byte string round-trips through every literal -------------------------------------------


@settings(max_examples=400, deadline=None)
@given(STRESS)
def test_every_byte_string_round_trips_through_every_latin1_literal(data):
    text = data.decode("latin-1")
    for quote in QUOTES:
        # Escaped: no warning under any Python (an invalid escape would be an error here).
        assert latin1_value(quoted(text, quote), strict=True) == data
        assert latin1_value(quoted(text, quote, bare=True), strict=False) == data
        raw = raw_quoted(text, quote)
        if raw is not None:
            assert latin1_value(raw, strict=True) == data
    assert latin1_value(best_literal(data), strict=True) == data
    assert latin1_value(best_literal(data, bare=True), strict=False) == data


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("\\'\"\0\r\n0qZNx\u00e9\u2028\U0001f600"), max_size=40))
def test_every_text_round_trips_through_every_utf8_literal(text):
    for bare in (False, True):
        for literal in literals(text, QUOTES, bare):
            source = f"x={literal}".encode("utf-8")
            code = compile(source, "<literal>", "exec", dont_inherit=True) if bare else compile_silently(source)
            namespace = {}
            exec(code, namespace)
            assert namespace["x"] == text, literal


@settings(max_examples=300, deadline=None)
@given(STRESS)
def test_escapes_are_only_what_must_be_escaped(data):
    """Between triple quotes, with no quote in the text: one extra character per NUL (three before
    an octal digit), per CR, and per backslash whose next source character starts an escape."""
    text = data.decode("latin-1").replace("'", "").replace('"', "")
    for bare in (False, True):
        literal = quoted(text, "'''", bare)
        body = literal[3:-3]
        expected = text.count("\r") + sum(3 if text[i + 1 : i + 2] in tuple("01234567") else 1
                                          for i, char in enumerate(text) if char == "\0")
        for index, char in enumerate(text):
            if char != "\\":
                continue
            following = text[index + 1 : index + 2]
            # An escaped character begins with a backslash; the end is the closing quote.
            next_source = "\\" if following in ("\\", "\0", "\r") else (following or "'")
            needed = next_source in ESCAPE_STARTERS if bare else next_source < "\x80"
            expected += needed
        assert len(body) - len(text) == expected, (text, body)


def test_escape_examples():
    assert quoted("\\\xe9", "'") == "'\\\xe9'"  # silent before a non-ASCII character
    assert quoted("\\q", "'") == "'\\\\q'"  # an invalid escape: only with bare
    assert quoted("\\q", "'", bare=True) == "'\\q'"
    assert quoted("\\n", "'", bare=True) == "'\\\\n'"
    assert quoted("\\", "'", bare=True) == "'\\\\'"  # it would escape the closing quote
    assert quoted("\\\\q", "'", bare=True) == "'\\\\\\q'"  # only the last of a run
    assert quoted("\\\0", "'", bare=True) == "'\\\\\\0'"
    assert raw_quoted("a\\b\\'c", "'") == "r'a\\b\\'c'"
    assert raw_quoted("a\\", "'") is None and raw_quoted("a\0", "'''") is None
    assert raw_quoted("a'", "'''") is None and raw_quoted("a'''b", "'''") is None
    assert raw_quoted("it's\nok", "'''") == "r'''it's\nok'''"


# -- under the interpreters ----------------------------------------------------------------------


def run(python: str, data: bytes) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "prog.py").write_bytes(data)
        return subprocess.run([python, "prog.py"], cwd=folder, capture_output=True, timeout=60)


@pytest.mark.parametrize("python", [sys.executable, "newer"])
def test_escaped_literals_are_silent_and_bare_ones_warn_only_from_3_12(python):
    if python == "newer":
        python = newer_python()
        if python is None:
            pytest.skip("no Python 3.12 or later on this machine")
    version = subprocess.run([python, "-c", "import sys;print(sys.version_info[1])"],
                             capture_output=True, text=True).stdout
    data = bytes(range(256)) * 2 + b"\\q\\\xe9\\"
    for bare in (False, True):
        program = f"#coding:l1\nprint(list(bytes({best_literal(data, bare)},'l1')))".encode("latin-1")
        result = run(python, program)
        assert result.stdout.decode() == f"{list(data)}\n"
        warns = bare and int(version) >= 12
        assert bool(result.stderr) == warns, result.stderr


# -- the packed files ----------------------------------------------------------------------------


def test_bare_forms_are_offered_beside_the_escaped_ones():
    # Backslashes before ASCII letters: the bare form is shorter, the escaped one stays offered.
    source = "".join(f"print({i},'{i * 7919 % 9973:x}')\n" for i in range(300))
    payload = source.encode()
    for judge in ("file", "utf8"):
        candidates = pack_payload(payload, judge, ("zopfli",))
        schemes = {c.scheme: c for c in candidates}
        for scheme, candidate in schemes.items():
            if scheme.endswith("+bare"):
                escaped = schemes[scheme.removesuffix("+bare")]
                assert candidate.size_bytes < escaped.size_bytes
                assert decode_payload(candidate.data) == payload


def test_microgpt_latin1_escapes_no_more_than_it_must():
    python_minifier = pytest.importorskip("python_minifier")
    root = Path(__file__).resolve().parent.parent
    source = python_minifier.minify((root / "reference" / "microgpt.py").read_text(), rename_globals=True)
    stream = min((s for s in compress(source.encode(), CODECS["zopfli"]) if s.args), key=lambda s: len(s.data))
    text = stream.data.decode("latin-1")
    escapes = escapes_added(best_literal(stream.data), text)
    # The floor: NUL and CR, plus at most the backslashes before ASCII and a few quote escapes.
    floor = text.count("\0") + text.count("\r")
    assert floor <= escapes <= floor + text.count("\\") + 4


# -- the leading import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "names", "rest"),
    [
        (b"import math,random as R\nprint(1)\n", "math,random as R", b"print(1)\n"),
        (b"import os;print(os.sep)", "os", b"print(os.sep)"),
        (b"import os.path as p , sys\r\nx=1", "os.path as p,sys", b"x=1"),
        (b"import os\n", "os", b""),
    ],
)
def test_leading_imports_that_merge(payload, names, rest):
    merge = leading_import(payload)
    assert merge is not None and merge.names == names and merge.rest == rest


@pytest.mark.parametrize(
    "payload",
    [
        b"from os import sep\nprint(sep)\n",  # binds other names than the module
        b"x=1\nimport os\n",  # not first
        b"import os # why\nx=1\n",
        b"import os\\\n,sys\n",  # continued onto the next line
        b"import os\n# coding: latin-1\nx=1\n",  # the cookie would count once on line 1
        b"import os\nif 1:\n",  # not a program
        b"\nimport os\n",
    ],
)
def test_leading_imports_that_do_not_merge(payload):
    assert leading_import(payload) is None


MERGED_PROGRAM = (
    "import math,itertools as I,collections\n"
    "print(math.pi, [x for x in I.accumulate(range(9))], collections.Counter('abracadabra'))\n"
    "print(sorted(k for k in globals() if not k.startswith('__')))\n"
) * 2


@pytest.mark.parametrize("scheme", ["latin1", "ascii", "chars-20bit"])
def test_merged_import_keeps_behaviour(scheme):
    payload = MERGED_PROGRAM.encode()
    merge = leading_import(payload)
    assert merge and merge.names == "math,itertools as I,collections"
    stream = min(compress(merge.rest, CODECS["zlib"]), key=lambda s: len(s.data))
    build = {"latin1": latin1_programs, "ascii": ascii_programs}.get(scheme)
    programs = build(stream, False, merge.names) if build else astral_programs(stream, merge.names)
    program = next(p for p in programs if p.stages == 1 and self_check(p.text.encode(p.encoding), merge.rest, 1))
    assert f"import zlib,{merge.names}\n" in program.text
    unmerged = min(compress(payload, CODECS["zlib"]), key=lambda s: len(s.data))
    plain = next(p for p in (build(unmerged) if build else astral_programs(unmerged)) if p.stages == 1)
    expected = run(sys.executable, plain.text.encode(plain.encoding))
    actual = run(sys.executable, program.text.encode(program.encoding))
    assert expected.returncode == actual.returncode == 0, actual.stderr
    assert actual.stdout == expected.stdout


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["math", "os", "sys as S", "math,os.path as P"]), st.sampled_from(["\n", ";"]))
def test_merged_candidates_self_check_against_the_rest(names, separator):
    source = f"import {names}{separator}" + "print(sum(i*i for i in range(99)), 'x'*9)\n" * 8
    merge = leading_import(source.encode())
    assert merge.names == names
    for candidate in pack(source, "bytes", "file", ("zlib",)).candidates:
        if "+import" in candidate.scheme:
            stages = 2 if "2stage" in candidate.scheme else 1
            assert decode_payload(candidate.data, stages, merge.rest) == merge.rest
            if stages == 1:
                assert f",{names}\n".encode() in candidate.data


# -- the utf8 judge ------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_utf8_judge_ships_valid_utf8_that_decodes(data):
    candidates = pack_payload(data, "utf8", ("zopfli",))
    assert candidates and not any(c.scheme.startswith("latin1") for c in candidates)
    for candidate in candidates:
        candidate.data.decode("utf-8")
        assert is_stdin_safe(candidate.data)


def test_utf8_judge_picks_ascii_for_bytes_and_runs():
    source = "".join(f"print({i}, {i * 7919 % 1000}**3, 'é'*{i % 7})\n" for i in range(60))
    result = pack(source, "bytes", "utf8")
    assert result.best.scheme.startswith("ascii/")
    assert len(result.best.data.decode("utf-8")) == result.best.size_bytes  # 7-bit: one byte a character
    expected = run(sys.executable, source.encode())
    assert run(sys.executable, result.best.data).stdout == expected.stdout
    assert pack(source, "bytes", "file").best.scheme.startswith("latin1/")


def test_utf8_is_a_judge_everywhere(tmp_path):
    from golfkit.cli import cli

    assert "utf8" in JUDGES
    assert Options(judge="utf8").judge == "utf8"
    program = tmp_path / "prog.py"
    program.write_text("print(sum(i*i for i in range(50)))\n" * 30)
    result = CliRunner().invoke(cli, ["pack", str(program), "--target", "bytes", "--judge", "utf8"])
    assert result.exit_code == 0, result.output
    packed = (tmp_path / "prog.packed.py").read_bytes()
    packed.decode("utf-8")
    assert run(sys.executable, packed).stdout == run(sys.executable, program.read_bytes()).stdout
    assert "utf8" in CliRunner().invoke(cli, ["build", "--help"]).output
