"""Lambda-fold targets: one-line defs that could become lambdas, and ones whose __name__ or docstring shows."""
import operator


def double(x):
    return x * 2


def clamp(value, low=0, high=10):
    return max(low, min(high, value))


def greet(name, punctuation="!"):
    return "Hello, " + name + punctuation


def named_step(x):
    return x + 1


def documented(x):
    """Squares its argument."""
    return x * x


def countdown(n):
    return [n] + countdown(n - 1) if n else []


def make_multiplier(k):
    return lambda x: x * k


def keyword_only(*, sep):
    return sep.join("abc")


def star_args(*parts, **options):
    return "-".join(parts) + str(sorted(options))


# Lambdas capturing loop variables by default value.
ops = {}
for symbol, fn in [("+", operator.add), ("-", operator.sub), ("*", operator.mul)]:
    ops[symbol] = lambda a, b, fn=fn: fn(a, b)
print({s: f(7, 3) for s, f in ops.items()})
print([double(n) for n in range(5)], clamp(-4), clamp(15), clamp(5, 6), clamp(value=3, high=2))
print(greet("ada"), greet("bob", punctuation="?"))
# __name__ of a def differs from a lambda's '<lambda>': folding this one changes the output.
print(named_step.__name__, named_step(41), (lambda: 0).__name__)
print(documented.__doc__, documented(9))
print(countdown(5), make_multiplier(3)(14), keyword_only(sep="/"), star_args("x", "y", z=1, a=2))
table = sorted([(3, "c"), (1, "a"), (2, "b")], key=lambda pair: -pair[0])
print(table, list(map(lambda s: s.upper(), "xyz")), list(filter(lambda n: n % 3, range(10))))
compose = lambda f, g: lambda x: f(g(x))  # noqa: E731
inc_then_double = compose(double, named_step)
print(inc_then_double(4), compose(str, abs)(-12) + "!")
handlers = [lambda: "first", lambda: "second"]
print([h() for h in handlers], (lambda *a, **k: (a, k))(1, b=2))
print((lambda x=[]: x.append(1) or len(x))(), (lambda x=[]: x)() == [])
