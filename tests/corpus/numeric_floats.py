"""Numeric: floats printed with repr, so constant folding or reassociating arithmetic shows up bit-exactly."""
import math

TOLERANCE = 1e-12
GOLDEN = (1 + 5**0.5) / 2
THIRD = 1 / 3
TENTH = 0.1


def newton_sqrt(value, guess=1.0):
    steps = 0
    while abs(guess * guess - value) > TOLERANCE * value:
        guess = (guess + value / guess) / 2
        steps += 1
    return guess, steps


def kahan_sum(values):
    total = compensation = 0.0
    for value in values:
        y = value - compensation
        t = total + y
        compensation = (t - total) - y
        total = t
    return total


def simpson(f, a, b, n=64):
    h = (b - a) / n
    odd = sum(f(a + i * h) for i in range(1, n, 2))
    even = sum(f(a + i * h) for i in range(2, n, 2))
    return h / 3 * (f(a) + 4 * odd + 2 * even + f(b))


print(repr(0.1 + 0.2), 0.1 + 0.2 == 0.3, repr(TENTH * 3), repr(THIRD + THIRD + THIRD))
# Associativity matters for floats: these differ in the last bit.
print(repr((0.1 + 0.2) + 0.3), repr(0.1 + (0.2 + 0.3)))
print(repr(1e16 + 1.0 - 1e16), repr(1e16 - 1e16 + 1.0))
print(repr(GOLDEN), repr(GOLDEN**2 - GOLDEN), repr(1 / GOLDEN))
for value in (2.0, 10.0, 12345.678):
    root, steps = newton_sqrt(value)
    print(f"sqrt({value!r}) = {root!r} in {steps} steps, error {root - math.sqrt(value)!r}")
values = [TENTH] * 10
print(repr(sum(values)), repr(kahan_sum(values)), repr(math.fsum(values)))
print(repr(simpson(math.sin, 0, math.pi)), repr(simpson(lambda x: x**3, 0, 2)))
# Overflow to inf and underflow to zero: a folder must print these exactly as Python does.
print(repr(2**0.5), repr(2 ** -1074), repr(1.7976931348623157e308 * 10), repr(2.0**-1075))
print(repr(-0.0), repr(0.0 * -1), math.copysign(1, -0.0), repr(float("inf") - 1e308))
print(repr(round(2.675, 2)), repr(round(0.5)), repr(round(1.5)), repr(round(-2.5)))
print(7 // 2, -7 // 2, 7 % -3, divmod(-7, 2), repr(7 / 2), repr(-7.5 // 2))
print(repr(1e-7), repr(123456789012345678.0), repr(1.0e22), repr(float(2**53 + 1)))
print(repr(math.e ** math.pi - math.pi), repr(math.exp(1)), math.isclose(THIRD * 3, 1.0))
print((1 << 70) + 1, 10**20 // 7, -(2**63), 0xFF ^ 0b1010, ~5, 3**-2)
print(repr(sum(1 / n**2 for n in range(1, 1000))), repr(math.pi**2 / 6))
