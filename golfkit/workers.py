"""Set-up of golfkit's background worker processes (the name search's hill-climbs, packing ahead).

Workers are spawned, never forked (the build has threads running), and import little: each starts
in a fraction of a second. They work at a lower priority than the runs of candidates, which are the
build's critical path, and they keep the memory they free.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

# glibc's mallopt parameters
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def prepare_worker() -> None:
    """A worker process's set-up: it yields to the build's runs of candidates, and zlib's state,
    allocated afresh for every compression, comes from memory the process keeps."""
    lower_priority()
    keep_freed_memory()


def lower_priority() -> None:
    """Background work yields to the build's runs of candidates."""
    try:
        os.nice(max(0, 10 - os.nice(0)))
    except OSError:
        pass


def keep_freed_memory() -> None:
    """Every compression allocates zlib's state afresh, a few hundred KB. glibc serves a block that
    large by mapping fresh pages and gives them back when it is freed, so a small process (a
    worker that imports little) pays page faults on every one: scoring names ran 2.5 times slower
    in a worker than in the build's own process. Freed memory is kept instead (glibc only;
    elsewhere nothing changes)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_MMAP_THRESHOLD, 16 << 20)


def worker_processes(count: int) -> ProcessPoolExecutor:
    """A pool of ``count`` spawned, prepared worker processes."""
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"), initializer=prepare_worker)


_kept: dict[int, ProcessPoolExecutor] = {}
_kept_lock = threading.Lock()


def kept_pool(count: int) -> ProcessPoolExecutor:
    """The pool of ``count`` workers kept for the life of the process (builds run their passes and
    packs many times), started on first ask and shared by every caller asking for that many."""
    with _kept_lock:
        if count not in _kept:
            _kept[count] = worker_processes(count)
        return _kept[count]


def has_pool(count: int) -> bool:
    """Whether the pool of ``count`` workers is already running (or starting)."""
    return count in _kept


def drop_pool(count: int) -> None:
    """Forget the pool of ``count`` workers, which broke or could not start: the next ask starts
    a new one."""
    with _kept_lock:
        _kept.pop(count, None)
