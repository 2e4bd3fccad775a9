"""Shadowed builtins: own sum/len/print wrapper, a `list` variable, builtins reached via the builtins module."""
import builtins

lines_printed = 0


def print(*args, **kwargs):
    # A wrapper that numbers every line; the real print is reached through the builtins module.
    global lines_printed
    lines_printed += 1
    builtins.print(f"{lines_printed:02d}:", *args, **kwargs)


def sum(values, start=0):
    # Deliberately different from the builtin: sums squares.
    total = start
    for value in values:
        total += value * value
    return total


def len(container):
    return builtins.len(container) * 10


list = [3, 1, 4, 1, 5]  # shadows the builtin type at module level
print("custom sum of squares:", sum(list), "builtin sum:", builtins.sum(list))
print("custom len:", len(list), "builtin len:", builtins.len(list))


def uses_local_shadow():
    max = min  # a local name that hides another builtin
    return max(list)


def builtin_inside():
    # No local shadows here, but module-level shadows still apply.
    return sorted(list), len("abc"), abs(-2)


print("local max is min:", uses_local_shadow())
print(builtin_inside())
str_ = str
str = lambda value: f"<{str_(value)}>"  # noqa: E731
print(str(42), repr(42), type(str).__name__)
del str
print("after del, str is the builtin again:", str(42), str is builtins.str)
range_backup = range


def range(n):
    return [n - i for i in range_backup(n)]  # counts down instead


print(range(5), [i for i in range(3)])
print("zip still works:", dict(zip("ab", range(2))))
del range
print(builtins.list(range(3)), "lines printed so far", lines_printed)
