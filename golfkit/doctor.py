"""`golfkit doctor`: what this machine gives golfkit, one line each, with what to do when
something is missing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from golfkit import __version__
from golfkit.cache import RunCache, interpreter_version
from golfkit.reference import AUTO_PRECHECK
from golfkit.runner import RunLimits, RunSpec, run_program
from golfkit.sandbox import RUN_SANDBOX, sandbox_status

# A small reference in microgpt's style (seeded randomness, float arithmetic, printed losses):
# long enough that a JIT shows its speed, short enough for a doctor.
PROBE = b"""\
import math, random
random.seed(42)
weights = [random.gauss(0, 0.1) for _ in range(64)]
for step in range(20000):
    x = [random.random() for _ in range(64)]
    y = sum(w * v for w, v in zip(weights, x))
    loss = (math.tanh(y) - 0.5) ** 2
    weights = [w - 0.01 * (math.tanh(y) - 0.5) * v for w, v in zip(weights, x)]
    if step % 4000 == 0:
        print(f"step {step:4d} | loss {loss:.6f}")
print("sample:", "".join(random.choice("abcdefghij") for _ in range(12)))
"""


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"


def python_line(python: str) -> str:
    return f"python:     {python} ({interpreter_version(python) or 'version unknown'})"


def pypy_line(python: str) -> str:
    found = shutil.which(AUTO_PRECHECK)
    if found is None:
        return (f"pypy:       not installed: every run uses CPython (a full build takes several times longer); "
                f"`bash scripts/setup.sh` installs it (Debian: sudo apt-get install {AUTO_PRECHECK})")
    version = interpreter_version(found)
    if version is None:
        return f"pypy:       {found} does not start: reinstall it (sudo apt-get install --reinstall {AUTO_PRECHECK})"
    spec = RunSpec(PROBE, "probe.py")
    limits = RunLimits(timeout=120)
    reference, candidate = run_program(spec, python, limits), run_program(spec, found, limits)
    if (candidate.stdout, candidate.stderr, candidate.returncode) != (reference.stdout, reference.stderr,
                                                                       reference.returncode):
        return (f"pypy:       {found} ({version}) does not reproduce a small reference: builds check each program "
                "and use it only where it does")
    speed = reference.elapsed / candidate.elapsed if candidate.elapsed else 0.0
    return (f"pypy:       {found} ({version}): reproduces a small reference, {speed:.1f}x the speed of CPython; "
            "builds judge intermediate candidates with it (--precheck-python auto)")


def bubblewrap_line() -> str:
    status = sandbox_status(RUN_SANDBOX)  # probed as golfkit's runs use it
    if status.available:
        return f"bubblewrap: {status.detail}"
    if status.bwrap is None:
        return ("bubblewrap: not installed: runs are not sandboxed (they can write outside their folder and reach "
                "the network); `bash scripts/setup.sh` installs it (Debian: sudo apt-get install bubblewrap)")
    return (f"bubblewrap: {status.detail}: runs are not sandboxed; allow unprivileged user namespaces (Debian: sysctl "
            "kernel.unprivileged_userns_clone=1; Ubuntu: an AppArmor profile for bwrap), or golf untrusted programs "
            "inside a container or VM")


def cores_line() -> str:
    cores = os.cpu_count() or 1
    advice = "" if cores > 1 else "; candidates are verified one at a time: a build takes longer"
    return f"cores:      {cores}: a build verifies {cores} candidates at once (--jobs){advice}"


def cache_line(cache_dir: Path | None) -> str:
    cache = RunCache(cache_dir)
    root = cache.root
    existing = next(parent for parent in [root, *root.parents] if parent.exists() or parent == parent.parent)
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cache:      {root}: not writable: every run is made again; give --cache-dir or set XDG_CACHE_HOME"
    files, total = cache.size()
    return f"cache:      {root} ({files} files, {_size(total)}): `golfkit cache clear` empties it"


def dataset_line(dataset: Path) -> str:
    if dataset.is_dir():
        return f"dataset:    {dataset} (a folder of {sum(len(files) for *_, files in os.walk(dataset))} files)"
    if not dataset.is_file():
        return (f"dataset:    {dataset} missing: `bash scripts/setup.sh` copies or downloads it; or give --data PATH "
                "(only programs that read input.txt need it)")
    data = dataset.read_bytes()
    lines = data.count(b"\n")
    return f"dataset:    {dataset} ({lines} lines, {_size(len(data))})"


def checks(cache_dir: Path | None, data: tuple[Path, ...], python: str = sys.executable) -> list[str]:
    return [f"golfkit:    {__version__}", python_line(python), pypy_line(python), bubblewrap_line(), cores_line(),
            cache_line(cache_dir), *([dataset_line(path) for path in data] or ["dataset:    none configured"])]
