"""from __future__ must stay first; PEP 563 annotations are source strings, NamedTuple/TypedDict fields too."""
from __future__ import annotations

import typing
from typing import NamedTuple, Optional, TypedDict


class Point(NamedTuple):
    x: float
    y: float = 0.0

    def norm(self) -> float:
        return (self.x**2 + self.y**2) ** 0.5


class Movie(TypedDict):
    title: str
    year: int


Matrix = list[list[float]]


def transpose(matrix: Matrix) -> Matrix:
    return [list(column) for column in zip(*matrix)]


def find(items: list[Point], limit: Optional[float] = None) -> Optional[Point]:
    for item in items:
        if limit is None or item.norm() <= limit:
            return item
    return None


class Graph:
    edges: dict[str, list[str]]

    def __init__(self) -> None:
        self.edges = {}

    def add(self, a: str, b: str) -> Graph:  # forward reference works: annotations are lazy
        self.edges.setdefault(a, []).append(b)
        self.edges.setdefault(b, []).append(a)
        return self

    def degree(self, node: str) -> int:
        return len(self.edges.get(node, []))


points = [Point(3, 4), Point(1), Point(0.5, 0.5)]
print(points, [p.norm() for p in points], Point._fields, Point._field_defaults)
print(find(points, 2), find(points, 0.1), points[0]._replace(y=0)._asdict())
print(transpose([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
movie: Movie = {"title": "Metropolis", "year": 1927}
print(movie, sorted(Movie.__annotations__), Movie.__required_keys__ == {"title", "year"})
# Under PEP 563 these are the annotation source texts, so they print as written.
print(transpose.__annotations__)
print(find.__annotations__["limit"], Graph.__annotations__, Graph.add.__annotations__["return"])
g = Graph().add("a", "b").add("a", "c").add("c", "d")
print({node: g.degree(node) for node in sorted(g.edges)})
hints = typing.get_type_hints(Graph.degree)
print(hints, typing.get_type_hints(Point.norm)["return"].__name__)
print(Point.__name__, Point(x=2).y, isinstance(points[0], tuple))
