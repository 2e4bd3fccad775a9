"""Packing ahead, in a background process: a build packs the text it expects to end on while its
passes go on checking that nothing changes it, so the final pack is ready when they are done.

One spawned worker process (``golfkit.workers``: lower priority, light imports) serves every build
of the golfkit process. Packing is deterministic, so where it runs never changes the forms; when no
worker can run (no semaphores, a main module that cannot be imported again) the caller packs
in-process as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import BrokenExecutor, Future

from golfkit.pack import PackResult, pack
from golfkit.workers import kept_pool

_lock = threading.Lock()
_unavailable = False


def pack_in_background(source: str, target: str, judge: str, codecs: tuple[str, ...]) -> Future | None:
    """``pack(source, target, judge, codecs)`` started in the worker process; None when there is
    no worker to run it."""
    global _unavailable
    with _lock:
        if _unavailable:
            return None
        try:
            return kept_pool(1).submit(pack, source, target, judge, codecs)
        except (BrokenExecutor, OSError, RuntimeError):
            _unavailable = True
            return None


def available() -> bool:
    """Whether packing in the background may be tried (no worker has failed to start or run)."""
    return not _unavailable


def packed(future: Future) -> PackResult | None:
    """The background pack's result; None when the worker failed to give one (the caller then
    packs in-process, which also raises any error of the packer's own)."""
    global _unavailable
    try:
        return future.result()
    except (BrokenExecutor, OSError):
        with _lock:
            _unavailable = True
        return None
    except Exception:  # noqa: BLE001 - the packer's own errors are raised again in-process
        return None
