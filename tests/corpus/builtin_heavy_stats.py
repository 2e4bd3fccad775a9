"""Builtin-heavy statistics: many len/range/print/sorted calls, plus locals and attributes named like builtins."""

data = [23, 7, 42, 15, 8, 16, 4, 99, 61, 30, 12, 50]


def mean(values):
    return sum(values) / len(values)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def histogram(values, bins):
    low, high = min(values), max(values)
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    return counts


def spread(values, max=None):
    # A parameter named like a builtin: inside here `max` is the argument, not the function.
    limit = len(values) if max is None else max
    return [abs(v - values[0]) for v in values[:limit]]


class Table:
    len = 3  # a class attribute called len; Table.len is not the builtin

    def __init__(self, rows):
        self.rows = rows

    def print(self):
        for row in self.rows[: self.len]:
            print(" | ".join(str(cell).rjust(4) for cell in row))


print("n =", len(data), "sum =", sum(data), "min =", min(data), "max =", max(data))
print("mean =", round(mean(data), 3), "median =", median(data))
print("histogram:", histogram(data, 5))
print("spread:", spread(data), spread(data, max=3))
print("sorted:", sorted(data), list(reversed(sorted(data)))[:3])
print("enumerate:", [(i, v) for i, v in enumerate(data) if v > 40])
print("zip:", list(zip(data[::2], data[1::2])))
print("map/filter:", list(map(str, filter(lambda v: v % 2, data))))
print("any/all:", any(v > 90 for v in data), all(v > 0 for v in data))
print("divmod/pow:", [divmod(v, 7) for v in data[:4]], pow(3, 4, 5), round(2.5), round(3.14159, 2))
print("chr/ord:", "".join(chr(ord("a") + v % 26) for v in data), hex(255), bin(10), oct(8))
print("int/float/str:", int("42") + 1, float("1.5") * 2, str(3.0), bool(""), bool("x"))
print("isinstance:", isinstance(data, list), isinstance(3, (int, float)), callable(len))
print("range:", list(range(3)), list(range(10, 0, -3)), len(range(0, 100, 7)))
print("sep/end:", *range(4), sep="-", end="!\n")
Table([[1, 22, 333], [4444, 5, 66], [7, 8, 9], [0, 0, 0]]).print()
print("Table.len:", Table.len, "len(Table.__name__):", len(Table.__name__))
iterator = iter(data)
print("next:", next(iterator), next(iterator), "abs:", abs(-7), "min key:", min(data, key=lambda v: abs(v - 20)))
print("set/frozenset:", sorted(set(data) & {7, 8, 9, 99}), len(frozenset(data)), tuple(data[:2]), list("ab"))
