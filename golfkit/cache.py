"""Content-addressed store of run results.

A key covers everything that decides a run's output: the program's bytes, its file name, the
local modules, the names and hashes of the data files (every file of a data folder, a test case's
files among them), the case's arguments and stdin, and the interpreter (resolved path and
version). Entries are
written atomically and carry a checksum; an entry that fails to load or check is discarded and
the run is made again, never trusted.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from golfkit.runner import Mismatch, RunResult, RunSpec

FORMAT = 1


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "golfkit"


@lru_cache(maxsize=None)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=None)
def interpreter_identity(python: str) -> str:
    """Resolved path and full version of an interpreter: part of every cache key."""
    resolved = shutil.which(python) or python
    try:
        version = subprocess.run(
            [resolved, "-c", "import sys;print(sys.version);print(sys.implementation.name)"],
            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "unknown"
    return f"{os.path.realpath(resolved)}|{version}"


@lru_cache(maxsize=None)
def interpreter_version(python: str) -> str | None:
    """e.g. "CPython 3.11.2", "PyPy 7.3.11 (Python 3.9.16)"; None when it does not start."""
    code = ("import sys, platform\nv = sys.implementation.version\n"
            "print(platform.python_implementation(), platform.python_version(), '%d.%d.%d' % v[:3])")
    try:
        words = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=30,
                               stdin=subprocess.DEVNULL).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if len(words) != 3:
        return None
    name, language, own = words
    return f"{name} {language}" if name == "CPython" else f"{name} {own} (Python {language})"


def data_digest(path: Path) -> str:
    """A data file's hash, or a data folder's: every file's path within it and hash, and its
    empty folders (symbolic links followed, as the run folder's copy follows them)."""
    if not path.is_dir():
        return file_digest(path)
    digest = hashlib.sha256(b"folder\0")
    for folder, _, files in sorted(os.walk(path, followlinks=True)):
        relative = Path(folder).relative_to(path).as_posix()
        digest.update(f"{relative}/\0".encode("utf-8", "surrogateescape"))
        for name in sorted(files):
            digest.update(f"{relative}/{name}\0".encode("utf-8", "surrogateescape"))
            digest.update(file_digest(Path(folder, name)).encode())
    return digest.hexdigest()


def run_key(spec: RunSpec, python: str, salt: str = "") -> str:
    digest = hashlib.sha256()
    for part in (f"golfkit-run-v{FORMAT}", salt, spec.file_name, interpreter_identity(python)):
        digest.update(part.encode() + b"\0")
    # Each data path by the name it has in the run folder and its content; their order is no part.
    for path in sorted(spec.data, key=lambda path: path.name):
        digest.update(f"data:{path.name}\0{data_digest(path)}\0".encode("utf-8", "surrogateescape"))
    digest.update(hashlib.sha256(spec.program).digest())
    for name, data in spec.modules:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    if spec.args or spec.stdin:  # a run without input keeps the key it always had
        digest.update(b"case\0" + json.dumps(list(spec.args)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(spec.stdin).digest())
    return digest.hexdigest()


def _encode(result: RunResult) -> dict:
    mismatch = result.mismatch
    return {
        "stdout": base64.b64encode(result.stdout).decode(),
        "stderr": base64.b64encode(result.stderr).decode(),
        "returncode": result.returncode,
        "elapsed": result.elapsed,
        "peak_memory_kb": result.peak_memory_kb,
        "mismatch": None
        if mismatch is None
        else {
            "line": mismatch.line,
            "expected": None if mismatch.expected is None else base64.b64encode(mismatch.expected).decode(),
            "actual": None if mismatch.actual is None else base64.b64encode(mismatch.actual).decode(),
        },
    }


def _decode(entry: dict) -> RunResult:
    def raw(text):
        return None if text is None else base64.b64decode(text, validate=True)

    mismatch = entry["mismatch"]
    return RunResult(
        stdout=raw(entry["stdout"]),
        stderr=raw(entry["stderr"]),
        returncode=entry["returncode"],
        elapsed=float(entry["elapsed"]),
        peak_memory_kb=int(entry["peak_memory_kb"]),
        mismatch=None if mismatch is None else Mismatch(int(mismatch["line"]), raw(mismatch["expected"]), raw(mismatch["actual"])),
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class JsonStore:
    """JSON bodies on disk, by key, each in an envelope with its key, format and checksum; an
    entry that fails to load or check is removed and reported missing, never trusted."""

    kind = "entries"

    def __init__(self, folder: Path | None = None, enabled: bool = True):
        self.folder = (folder or default_cache_dir()) / self.kind
        self.enabled = enabled
        self.discarded = 0  # corrupt entries found and removed

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get_body(self, key: str):
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            text = path.read_text("utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError):
            return self._discard(path)
        try:
            envelope = json.loads(text)
            body = envelope["body"]
            if hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest() != envelope["checksum"]:
                return self._discard(path)
            if envelope.get("format") != FORMAT or envelope.get("key") != key:
                return self._discard(path)
            return body
        except (ValueError, KeyError, TypeError):
            return self._discard(path)

    def _discard(self, path: Path) -> None:
        self.discarded += 1
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def put_body(self, key: str, body) -> None:
        envelope = {
            "format": FORMAT,
            "key": key,
            "checksum": hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
            "body": body,
        }
        path = self._path(key)
        temporary = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(envelope, handle)
            os.replace(temporary, path)
        except BaseException as error:
            # Interrupted or failed half-way: leave no temporary file behind.
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            if not isinstance(error, OSError):
                raise
            # A cache that cannot be written only costs time.

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        count = sum(1 for _ in self.folder.rglob("*.json")) if self.folder.exists() else 0
        shutil.rmtree(self.folder, ignore_errors=True)
        return count


class RunCache(JsonStore):
    """Run results on disk, by key. Only finished runs and proven divergences are stored."""

    kind = "runs"

    @property
    def root(self) -> Path:
        return self.folder.parent

    @property
    def locks_folder(self) -> Path:
        return self.folder.parent / "locks"

    @property
    def nondeterministic_folder(self) -> Path:
        """Markers of programs a build found not deterministic: their runs are never reused."""
        return self.folder.parent / "nondeterministic"

    def mark_nondeterministic(self, key: str) -> None:
        if self.enabled:
            NondeterministicStore(self.root).put_body(key, {"found_not_deterministic": True})

    def known_nondeterministic(self, key: str) -> bool:
        return self.enabled and NondeterministicStore(self.root).get_body(key) is not None

    @contextlib.contextmanager
    def claim(self, key: str, give_up=lambda: False):
        """Held while a run is made: another golfkit (a second build, a test worker) about to make
        the same run waits for it and then reads its result, instead of making it a second time.
        ``give_up`` is polled while waiting (a cancelled run stops waiting); nothing is held when
        the cache is off or its folder cannot be written."""
        if not self.enabled:
            yield
            return
        descriptor = self._lock(key, give_up)
        try:
            yield
        finally:
            if descriptor is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self.locks_folder / f"{key}.lock")
                os.close(descriptor)

    def _lock(self, key: str, give_up) -> int | None:
        path = self.locks_folder / f"{key}.lock"
        while True:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return None
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if give_up():
                        os.close(descriptor)
                        return None
                    time.sleep(0.2)
                except OSError:
                    os.close(descriptor)
                    return None
            # The holder before us removes the file as it lets go: hold the lock only if our file
            # is still the one at the path, else take the new one.
            try:
                if os.fstat(descriptor).st_ino == os.stat(path).st_ino:
                    return descriptor
            except OSError:
                pass
            os.close(descriptor)

    def size(self) -> tuple[int, int]:
        """Files and bytes under the cache folder."""
        files = total = 0
        if self.root.is_dir():
            for path in self.root.rglob("*"):
                with contextlib.suppress(OSError):
                    if path.is_file():
                        files += 1
                        total += path.stat().st_size
        return files, total

    @property
    def traces_folder(self) -> Path:
        """Where the executed lines of traced runs are kept, beside the runs."""
        return self.folder.parent / "traces"

    def get(self, key: str) -> RunResult | None:
        body = self.get_body(key)
        if body is None:
            return None
        try:
            return _decode(body)
        except (ValueError, KeyError, TypeError, base64.binascii.Error):
            return self._discard(self._path(key))

    def put(self, key: str, result: RunResult) -> None:
        """Store a run that exited by itself or was stopped at a proven difference."""
        if not self.enabled or result.timed_out or result.cancelled:
            return
        if result.returncode is None and result.mismatch is None:
            return
        self.put_body(key, _encode(result))



class NondeterministicStore(JsonStore):
    """Run keys of programs a build found not deterministic (two runs differed)."""

    kind = "nondeterministic"


@lru_cache(maxsize=None)
def golfkit_code_digest() -> str:
    """A digest of golfkit's own source files: a pass result is reused only from the same code."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class PassCache(JsonStore):
    """Pass results on disk: passes are deterministic functions of their input text, their run
    facts and golfkit's code, so a rebuild of unchanged input applies none of them again."""

    kind = "passes"

    @staticmethod
    def key(pass_name: str, source: str, facts: str) -> str:
        digest = hashlib.sha256()
        for part in (f"golfkit-pass-v{FORMAT}", golfkit_code_digest(), pass_name, facts):
            digest.update(part.encode() + b"\0")
        digest.update(hashlib.sha256(source.encode("utf-8")).digest())
        return digest.hexdigest()


class BrokenSiteStore(JsonStore):
    """Sites bisection found to break, per program: {pass name: [site key, ...]} under a key that
    covers the program's text, the log it must reproduce and golfkit's code (a changed pass gets
    a fresh chance)."""

    kind = "broken-sites"

    @staticmethod
    def key(program: str, *references: RunResult, suite: str = "") -> str:
        """``references``: the reference's run on each test case; ``suite``: the cases' identity
        (empty without cases), since a site may break on one input and not on another."""
        digest = hashlib.sha256()
        for part in (f"golfkit-broken-sites-v{FORMAT}", golfkit_code_digest()):
            digest.update(part.encode() + b"\0")
        digest.update(hashlib.sha256(program.encode("utf-8")).digest())
        for reference in references:
            for stream in (reference.stdout, reference.stderr, str(reference.returncode).encode()):
                digest.update(hashlib.sha256(stream).digest())
        if suite:
            digest.update(b"cases\0" + suite.encode())
        return digest.hexdigest()

    def load(self, key: str) -> dict[str, list[str]]:
        """What is known for ``key``; nothing when missing or not of the stored shape."""
        body = self.get_body(key)
        if not isinstance(body, dict) or not all(
                isinstance(keys, list) and all(isinstance(k, str) for k in keys) for keys in body.values()):
            return {}
        return body

    def save(self, key: str, sites: dict[str, list[str]]) -> None:
        if self.enabled:  # a build without the cache neither reads nor changes it
            self.put_body(key, sites)
