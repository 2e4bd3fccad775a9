"""Candidate identifiers, shortest first."""

from __future__ import annotations

import builtins
import itertools
import keyword
import string
from typing import Iterator

FIRST = string.ascii_lowercase + string.ascii_uppercase + "_"
REST = FIRST + string.digits

# Never handed out: keywords, and builtins (a later pass or round may start using one).
UNAVAILABLE = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))


def candidates() -> Iterator[str]:
    """Every usable identifier, by length then in a fixed order."""
    for length in itertools.count(1):
        for first in FIRST:
            for rest in itertools.product(REST, repeat=length - 1):
                name = first + "".join(rest)
                if name not in UNAVAILABLE:
                    yield name


def is_private(name: str) -> bool:
    """Dunders and names that class bodies mangle (``__x``, and ``_C__x`` as written elsewhere)."""
    return name.startswith("__") or (name.startswith("_") and "__" in name[1:])
