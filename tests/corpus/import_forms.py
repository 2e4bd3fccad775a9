"""Import forms: import math, from-import with alias, dotted import os.path, aliases, function-level imports."""
import math
import os.path
import collections.abc
import itertools as it
from math import sqrt as s, pi
from statistics import mean, median
from string import ascii_lowercase as letters

# `import os.path` binds the name `os`; os.sep and os.path.join both work through it.
print(os.path.join("data", "raw", "file.txt").replace(os.sep, "/"))
print(os.path.splitext("archive.tar.gz"), os.path.basename("/a/b/c.py"))
print(s(2), math.sqrt(2) == s(2), round(pi, 5), math.tau == 2 * pi)
values = [2, 9, 4, 7, 1, 8]
print(mean(values), median(values), math.prod(values), math.comb(6, 2))
print(list(it.accumulate(values)), list(it.pairwise(letters[:5])))
print(isinstance([], collections.abc.Sequence), isinstance({}, collections.abc.Mapping))


def hexdigest(text):
    import hashlib  # imported only when the function runs

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(text):
    from base64 import b64encode as enc, b64decode

    encoded = enc(text.encode()).decode()
    return encoded, b64decode(encoded).decode()


print(hexdigest("golf"), encode("golfkit"))
print("hashlib bound at module level:", "hashlib" in globals())
import json as serializer  # a late import still binds at module level

print(serializer.dumps({"pi": round(pi, 3), "letters": letters[:3]}, sort_keys=True))
from collections import Counter, namedtuple

Pair = namedtuple("Pair", "left right")
print(Counter("mississippi").most_common(3), Pair(1, 2), Pair._fields)
print(math.__name__, s.__name__, it.__name__, serializer.__name__, os.path.__name__ in ("posixpath", "ntpath"))
