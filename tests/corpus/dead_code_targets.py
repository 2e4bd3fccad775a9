"""Dead-code targets: unused imports/functions/variables next to look-alikes that are used indirectly."""
import os
import json  # unused import
import string  # used only inside a function that is itself used
from itertools import chain, cycle  # cycle is unused

UNUSED_CONSTANT = 12345
USED_CONSTANT = 3
debug_messages = []  # written below but never printed: removable only with its writes


def unused_helper(x):
    return x * UNUSED_CONSTANT


def used_through_table(x):
    return f"called through a table with {x}"


def has_side_effect(log):
    log.append("side effect ran")
    return 0


def letters(n):
    return string.ascii_uppercase[:n]


def unreachable_after_return(values):
    total = 0
    for v in values:
        total += v
    return total
    print("never printed")  # unreachable


class UnusedClass:
    def method(self):
        return "never"


class UsedOnlyViaSubclass:
    greeting = "hi"


class Child(UsedOnlyViaSubclass):
    pass


# Never taken: os.devnull always exists. Only a contract pass may drop this download branch.
if not os.path.exists(os.devnull):
    import urllib.request

    urllib.request.urlretrieve("https://example.invalid/names.txt", "names.txt")

log = []
unused_result = has_side_effect(log)  # the binding is dead but the call must stay
scratch = [i * i for i in range(5)]  # dead variable with a pure value
debug_messages.append("collected")
print(log)
print(letters(USED_CONSTANT), unreachable_after_return([1, 2, 3]))
print({"by_name": used_through_table}["by_name"](7))
print(Child.greeting, list(chain("ab", "cd")))
if False:
    print("constant-false branch")
while 0:
    print("loop that never runs")
for _ in ():
    print("empty loop")
try:
    pass
except Exception:
    print("cannot happen")
x = 1
x = 2  # the first assignment is dead
print("x =", x)
del scratch
print("done", len(debug_messages) if False else "ok")
