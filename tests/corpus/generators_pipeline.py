"""Generators: yield, yield from with return values, send(), generator expressions, lazy pipelines."""
import itertools


def countdown(n):
    while n > 0:
        yield n
        n -= 1
    return "liftoff"  # becomes the value of a `yield from` expression


def launch(n):
    result = yield from countdown(n)
    yield result.upper()


def flatten(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from flatten(item)
        else:
            yield item


def running_average():
    total = 0.0
    count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            break
        total += value
        count += 1
        average = total / count


def primes():
    found = []
    for candidate in itertools.count(2):
        if all(candidate % p for p in found if p * p <= candidate):
            found.append(candidate)
            yield candidate


def chunked(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


print(list(launch(5)))
print(list(flatten([1, [2, [3, (4, 5)], 6], [[7]], 8])))

averager = running_average()
next(averager)  # prime the coroutine
for reading in [10, 20, 60, 5.5]:
    print("average now", averager.send(reading))
try:
    averager.send(None)
except StopIteration:
    print("averager finished")

print("first primes:", list(itertools.islice(primes(), 12)))
squares = (n * n for n in range(10))
evens = (s for s in squares if s % 2 == 0)
print("even squares:", list(evens), "exhausted:", list(evens))
print("sum of cubes:", sum(x**3 for x in range(1, 11)))
for chunk in chunked("abcdefghij", 3):
    print("chunk", "".join(chunk))

gen = countdown(2)
print(next(gen), next(gen))
try:
    next(gen)
except StopIteration as stop:
    print("return value:", stop.value)

pipeline = (word.strip(".,").lower() for word in "The cat, the hat. The bat!".split())
print(sorted(set(w for w in pipeline if w.isalpha())))
