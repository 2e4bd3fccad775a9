"""Context managers: __enter__/__exit__, exception suppression, contextlib helpers, nesting order."""
import contextlib

events = []


class Tracer:
    depth = 0

    def __init__(self, name, swallow=()):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        Tracer.depth += 1
        events.append(f"{'  ' * Tracer.depth}enter {self.name}")
        return self

    def __exit__(self, exc_type, exc, traceback):
        events.append(f"{'  ' * Tracer.depth}exit {self.name} ({exc_type.__name__ if exc_type else 'ok'})")
        Tracer.depth -= 1
        # Returning True suppresses the exception.
        return exc_type is not None and issubclass(exc_type, self.swallow)


@contextlib.contextmanager
def tag(name):
    events.append(f"<{name}>")
    try:
        yield name.upper()
    finally:
        events.append(f"</{name}>")


class Transaction:
    def __init__(self, ledger):
        self.ledger = ledger

    def __enter__(self):
        self.snapshot = dict(self.ledger)
        return self.ledger

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.ledger.clear()
            self.ledger.update(self.snapshot)  # roll back
            events.append(f"rolled back: {exc}")
        return exc_type is ValueError


with Tracer("outer") as outer, Tracer("inner"):
    events.append(f"    body sees {outer.name}")

with Tracer("guard", swallow=(KeyError,)):
    {}["missing"]
    events.append("never reached")

try:
    with Tracer("leaky", swallow=(KeyError,)):
        raise IndexError("boom")
except IndexError as error:
    events.append(f"caught {error!r}")

with tag("b") as bold, tag("i") as italic:
    events.append(f"text in {bold}{italic}")

ledger = {"alice": 10, "bob": 5}
with Transaction(ledger) as book:
    book["alice"] -= 3
    book["bob"] += 3
with Transaction(ledger) as book:
    book["alice"] -= 100
    if book["alice"] < 0:
        raise ValueError("overdraft")
print(ledger)

with contextlib.suppress(ZeroDivisionError):
    events.append(str(1 / 0))
with contextlib.ExitStack() as stack:
    names = [stack.enter_context(tag(n)) for n in "xyz"]
    events.append("stack holds " + "".join(names))
print("\n".join(events))
print("depth back to", Tracer.depth)
