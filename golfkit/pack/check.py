"""Self-check of a packed file: it compiles, and its decoder yields exactly the payload.

The packed program is a decoder ending in ``exec(<payload>)`` (two nested ``exec`` calls for the
two-stage schemes). Running it with a stand-in ``exec`` that records its argument gives the
payload without running the program itself.
"""

from __future__ import annotations

import builtins
import warnings

from golfkit.source import declared_encoding


class _Captured(Exception):
    def __init__(self, payload):
        super().__init__()
        self.payload = payload


def char_count(data: bytes) -> int:
    """Characters of the file, decoded with its own declared encoding."""
    return len(data.decode(declared_encoding(data)))


def is_stdin_safe(data: bytes) -> bool:
    """Python reads the file the same way from a pipe: UTF-8 without a coding cookie to honour
    (a cookie naming another encoding makes ``python -`` fail on a pipe)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return declared_encoding(data) in ("utf-8", "utf-8-sig")


def decode_payload(data: bytes, stages: int = 1, payload: bytes | None = None) -> bytes:
    """The bytes the packed file finally hands to ``exec``. ``stages`` counts the ``exec`` calls
    on the way: each but the last runs a further decoder stage. Given the expected ``payload``,
    an early stage that is the payload itself is captured instead of run (a wrong stage count
    must never run the packed program inside golfkit)."""
    calls = 0

    def recording_exec(code, *rest):
        nonlocal calls
        calls += 1
        if calls < stages and code != payload:
            return builtins.exec(code, namespace)
        raise _Captured(code)

    namespace = {"__name__": "__packed__", "__builtins__": builtins, "exec": recording_exec}
    with warnings.catch_warnings():
        # A warning the file would print when it runs rejects it: an invalid escape sequence is a
        # SyntaxWarning from Python 3.12. Up to 3.11 it is a DeprecationWarning, which running a
        # file never shows by default (it is attributed to the file, not to __main__): allowed.
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)
        code = compile(data, "<packed>", "exec", dont_inherit=True)
    try:
        builtins.exec(code, namespace)
    except _Captured as captured:
        result = captured.payload
    else:
        raise ValueError("the packed file never called exec")
    return result.encode("utf-8") if isinstance(result, str) else bytes(result)


def self_check(data: bytes, payload: bytes, stages: int, stdin_safe: bool = False) -> bool:
    """True when the file compiles, decodes to exactly ``payload`` and (if asked) is stdin-safe."""
    if stdin_safe and not is_stdin_safe(data):
        return False
    try:
        return decode_payload(data, stages, payload) == payload
    except (Exception, SystemExit):  # any failure at all means the candidate is not offered
        return False
