"""Dunder methods: arithmetic operators, reflected ops, __eq__/__hash__, __iter__, __getitem__, __call__."""
import math


class Vector:
    def __init__(self, *components):
        self.components = tuple(components)

    def __repr__(self):
        return f"Vector{self.components}"

    def __add__(self, other):
        return Vector(*(a + b for a, b in zip(self, other)))

    def __sub__(self, other):
        return self + (-other)

    def __neg__(self):
        return Vector(*(-a for a in self))

    def __mul__(self, scalar):
        return Vector(*(a * scalar for a in self))

    __rmul__ = __mul__  # class-body alias: both names must keep pointing at one function

    def __matmul__(self, other):
        return sum(a * b for a, b in zip(self, other))

    def __abs__(self):
        return math.sqrt(self @ self)

    def __eq__(self, other):
        return isinstance(other, Vector) and self.components == other.components

    def __hash__(self):
        return hash(self.components)

    def __iter__(self):
        return iter(self.components)

    def __len__(self):
        return len(self.components)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Vector(*self.components[index])
        return self.components[index]

    def __bool__(self):
        return any(self.components)

    def __contains__(self, value):
        return value in self.components

    def __lt__(self, other):
        return abs(self) < abs(other)


class Polynomial:
    def __init__(self, *coefficients):
        self.coefficients = coefficients  # lowest degree first

    def __call__(self, x):
        return sum(c * x**i for i, c in enumerate(self.coefficients))

    def __str__(self):
        terms = [f"{c}x^{i}" if i else str(c) for i, c in enumerate(self.coefficients) if c]
        return " + ".join(reversed(terms)) or "0"


u = Vector(1, 2, 3)
v = Vector(4, -5, 6)
print(u + v, u - v, -u, u * 2, 3 * v)
print("dot:", u @ v, "norm:", abs(Vector(3, 4)))
print(u == Vector(1, 2, 3), u != v, u is Vector(1, 2, 3))
print("unique:", len({u, Vector(1, 2, 3), v, v * 1}))
print(list(u), len(v), v[1], v[::2], v[-1])
print(bool(Vector(0, 0)), bool(u), 2 in u, 7 in u)
print(sorted([v, u, Vector(1, 1, 1)]))
x, y, z = v  # unpacking goes through __iter__
print(x, y, z, max(v), sum(u))
square = Polynomial(1, -3, 2)
print(square, [square(t) for t in range(-2, 4)])
print(str(Polynomial(0, 0)), callable(square), callable(u))
counts = {Vector(1, 0): "east", Vector(0, 1): "north"}
print(counts[Vector(0, 1)], Vector(1, 0) in counts)
