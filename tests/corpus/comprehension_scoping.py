"""Comprehension scoping: walrus binding in the enclosing function, class-body first-iterator rule."""


def first_long_word(words, limit):
    # The walrus inside the comprehension binds `found` in this function, not the comprehension.
    if any(len(found := w) > limit for w in words):
        return found
    return None


def running_totals(values):
    total = 0
    totals = [total := total + v for v in values]
    return totals, total  # `total` was rebound by the walrus in the comprehension


class Grid:
    size = 4
    # The first iterator (range(size)) is evaluated in the class scope, so `size` is visible.
    cells = [(r, c) for r in range(size) for c in range(2)]
    # Only the outermost iterable sees class names; a nested use must go through the class.
    labels = [f"row{r}" for r in range(size)]

    try:
        broken = [size * r for r in range(2)]
    except NameError as exc:
        error = "NameError in class comprehension"


def shadowing():
    x = "outer"
    squares = [x * 2 for x in range(3)]  # the comprehension's x does not leak
    return x, squares


def nested_matrix(n):
    return [[row * col for col in range(n)] for row in range(n)]


def dict_and_set(words):
    lengths = {w: len(w) for w in words}
    initials = {w[0] for w in words}
    return lengths, sorted(initials)


def last_match(data, predicate):
    hits = [hit for item in data if predicate(hit := item)]
    return hits, hit


words = ["tiny", "short", "enormous", "mid", "gigantic"]
print(first_long_word(words, 5), first_long_word(words, 10))
print(running_totals([3, 1, 4, 1, 5, 9, 2, 6]))
print(len(Grid.cells), Grid.cells[:5], Grid.labels)
print(Grid.error, hasattr(Grid, "broken"))
print(shadowing())
for row in nested_matrix(4):
    print(" ".join(f"{v:2d}" for v in row))
print(dict_and_set(words))
print(last_match(range(10), lambda n: n % 3 == 0))
gen_x = 10
gen = (gen_x + i for i in range(3))
gen_x = 20  # the generator body reads gen_x lazily, at iteration time
print(list(gen))
