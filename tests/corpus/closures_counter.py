"""Closures, nonlocal and global counters, late binding versus lambda defaults capturing loop vars."""

total_calls = 0


def make_counter(start=0, step=1):
    count = start

    def increment():
        # nonlocal: rebinding must reach the enclosing function's cell.
        nonlocal count
        global total_calls
        total_calls += 1
        count += step
        return count

    def peek():
        return count

    return increment, peek


inc_a, peek_a = make_counter()
inc_b, peek_b = make_counter(100, 10)
for _ in range(3):
    inc_a()
inc_b()
print("a:", peek_a(), "b:", peek_b(), "total:", total_calls)

# Late binding: every closure sees the final value of i.
late = [lambda: i * i for i in range(4)]
# Default arguments capture the value at definition time.
early = [lambda i=i: i * i for i in range(4)]
print("late:", [f() for f in late])
print("early:", [f() for f in early])

adders = []
for k in range(3):
    adders.append(lambda x, k=k: x + k)
print("adders:", [add(10) for add in adders])


def accumulator():
    history = []

    def add(value):
        history.append(value)
        return sum(history) / len(history)

    add.history = history  # function attribute shares the closure's list
    return add


mean = accumulator()
for v in (4, 8, 15, 16, 23, 42):
    print(f"running mean after {v:>2}: {mean(v)!r}")
print("history:", mean.history)


def outer():
    x = "outer"

    def middle():
        x = "middle"

        def inner():
            nonlocal x
            x = "inner-set"
            return x

        inner()
        return x

    return middle(), x


print(outer())
print("total calls at end:", total_calls)
