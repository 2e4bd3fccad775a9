"""eval/exec with strings that reference the program's own functions, variables and classes."""
import math

rate = 0.07
principal = 1000


def compound(amount, years):
    return amount * (1 + rate) ** years


def double(x):
    return 2 * x


class Account:
    bonus = 5


# These strings name program objects: renaming or removing them breaks eval.
formulas = [
    "compound(principal, 10)",
    "double(principal) + Account.bonus",
    "math.floor(compound(principal, 3))",
    "[double(n) for n in range(4)]",
]
for text in formulas:
    print(f"{text:<38} -> {eval(text)!r}")

namespace = {"math": math}
exec(
    """
def hypot3(a, b, c):
    return math.sqrt(a * a + b * b + c * c)

result = hypot3(1, 2, 2)
""",
    namespace,
)
print("hypot3:", namespace["result"], sorted(k for k in namespace if not k.startswith("__")))

# exec at module level defines a global that later code uses by plain name.
exec("tripled = [3 * v for v in (1, 2, 3)]")
print("tripled:", tripled)  # noqa: F821


def local_eval():
    width, height = 3, 4
    return eval("width * height"), eval("w + h", {}, {"w": width, "h": height})


print(local_eval())
operations = {"add": "a + b", "sub": "a - b", "pow": "a ** b", "call": "double(a) - b"}
for name, expr in operations.items():
    print(name, eval(expr, {"double": double}, {"a": 5, "b": 3}))
code = compile("principal * rate", "<interest>", "eval")
print("interest:", eval(code), code.co_names)
print("constant:", eval(repr(0.1 + 0.2)) == 0.1 + 0.2, eval("'%s-%s' % ('x', 'y')"))
