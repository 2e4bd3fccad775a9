"""Attribute names that belong to objects golfkit cannot see: builtin types and library protocols.

An attribute reached through an expression of unknown type might be one of these, so a program's
own attribute with such a name keeps it (``append`` stays even on the program's own class).
"""

from __future__ import annotations

import io
import types


def _attribute_names() -> frozenset[str]:
    def generator():
        yield

    async def coroutine():
        pass

    samples = [
        object, type, int, float, complex, bool, str, bytes, bytearray, memoryview,
        list, tuple, dict, set, frozenset, range, slice, property, staticmethod, classmethod,
        BaseException, OSError, SyntaxError, StopIteration, UnicodeError, KeyError, ImportError,
        types.FunctionType, types.MethodType, types.ModuleType, types.SimpleNamespace,
        types.CodeType, types.FrameType, types.TracebackType, types.BuiltinFunctionType,
        type(generator()), type({}.keys()), type({}.values()), type({}.items()),
        io.TextIOWrapper, io.BufferedReader, io.BufferedWriter, io.FileIO, io.StringIO, io.BytesIO,
        map, filter, zip, enumerate, reversed, super,
    ]
    names = {name for sample in samples for name in dir(sample)}
    coro = coroutine()
    names.update(dir(coro))
    coro.close()
    # Names libraries look up by duck typing, and namedtuple's helpers.
    names.update({"read", "readline", "write", "flush", "close", "fileno", "keys", "send",
                  "throw", "_fields", "_asdict", "_replace", "_make", "_field_defaults"})
    return frozenset(names)


BUILTIN_ATTRIBUTES = _attribute_names()
