"""itertools and functools: groupby, product, combinations, accumulate, reduce, partial, total_ordering."""
import functools
import itertools
import operator
from functools import partial, reduce

sales = [("north", "jan", 120), ("north", "feb", 90), ("south", "jan", 200), ("south", "feb", 40), ("east", "jan", 75)]

# groupby only groups adjacent items, so sort by the same key first.
for region, rows in itertools.groupby(sorted(sales), key=operator.itemgetter(0)):
    amounts = [amount for _, _, amount in rows]
    print(f"{region:<6} {amounts} total={sum(amounts)}")

print(list(itertools.product("ab", [1, 2])))
print(["".join(c) for c in itertools.combinations("wxyz", 2)])
print(len(list(itertools.permutations(range(5), 3))), list(itertools.combinations_with_replacement("xy", 2)))
print(list(itertools.accumulate([1, 2, 3, 4, 5], operator.mul)), list(itertools.accumulate([3, 1, 4, 1, 5], max)))
print(list(itertools.islice(itertools.cycle("RGB"), 7)), list(itertools.repeat("z", 3)))
print(list(itertools.chain.from_iterable([[1, 2], [3], [], [4, 5]])), list(itertools.starmap(pow, [(2, 5), (3, 2)])))
print(list(itertools.takewhile(lambda n: n < 5, [1, 3, 6, 2])), list(itertools.dropwhile(lambda n: n < 5, [1, 3, 6, 2])))
print(list(itertools.zip_longest("abc", [1], fillvalue="-")), list(itertools.compress("golfkit", [1, 0, 1, 1, 0, 0, 1])))
print(list(itertools.filterfalse(str.isdigit, "a1b2c3")), next(itertools.count(10, 5)))

print(reduce(operator.add, range(1, 11)), reduce(lambda acc, ch: acc * 2 + int(ch), "101101", 0))
int_from_binary = partial(int, base=2)
power_of_two = partial(pow, 2)
print(int_from_binary("11111111"), [power_of_two(n) for n in range(6)], int_from_binary.keywords)


@functools.total_ordering
class Version:
    def __init__(self, text):
        self.parts = tuple(int(p) for p in text.split("."))

    def __eq__(self, other):
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts

    def __repr__(self):
        return "v" + ".".join(map(str, self.parts))


versions = [Version(v) for v in ["1.10.0", "1.2.3", "1.2.10", "0.9"]]
print(sorted(versions), Version("2.0") >= Version("1.99"), Version("1.0") <= Version("1.0"))


@functools.lru_cache(maxsize=None)
def partitions(n, largest=None):
    largest = n if largest is None else largest
    if n == 0:
        return 1
    return sum(partitions(n - k, k) for k in range(1, min(n, largest) + 1))


print([partitions(n) for n in range(1, 16)])
by_length_then_alpha = functools.cmp_to_key(lambda a, b: (len(a) > len(b)) - (len(a) < len(b)) or (a > b) - (a < b))
print(sorted(["pear", "fig", "banana", "kiwi", "apple"], key=by_length_then_alpha))
print(operator.attrgetter("real", "imag")(3 + 4j), operator.methodcaller("split", "-")("a-b-c"))
