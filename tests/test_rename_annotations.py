"""Annotations under rename and builtin-alias: with ``from __future__ import annotations`` they are
stored as source text, so what they spell stays as written; their keys (annotated names) are data
when the program reads annotations; and names stay resolvable when annotations may be evaluated."""

from golfkit.passes.builtin_alias import BuiltinAliasPass
from golfkit.passes.rename import RenamePass
from tests.support import check_rewrite

RENAME = RenamePass()
ALIAS = BuiltinAliasPass()


# --- rename, with the future import ------------------------------------------------------------


def test_lazy_annotation_text_is_kept_while_the_names_it_spells_change():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations


        class Node:
            def __init__(self, label: str, parent: Node | None = None) -> None:
                self.label = label
                self.parent = parent

            def path(self) -> list[str]:
                names = [] if self.parent is None else self.parent.path()
                return names + [self.label]


        def deepest(nodes: list[Node]) -> Node:
            return max(nodes, key=lambda node: len(node.path()))


        root = Node("root")
        leaf = Node("leaf", Node("branch", root))
        print(deepest([root, leaf]).path())
        """,
        """
        from __future__ import annotations


        class a:
            def __init__(a, b: str, c: Node | None = None) -> None:
                a.b = b
                a.a = c

            def path(a) -> list[str]:
                b = [] if a.a is None else a.a.path()
                return b + [a.b]


        def b(a: list[Node]) -> Node:
            return max(a, key=lambda a: len(a.path()))


        root = a("root")
        leaf = a("leaf", a("branch", root))
        print(b([root, leaf]).path())
        """,
    )


def test_printed_annotations_keep_their_text_and_their_keys():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations

        Vector = list[float]


        def scale(vector: Vector, factor: float) -> Vector:
            return [value * factor for value in vector]


        print(scale([1.0, 2.0], 3.0))
        print(scale.__annotations__)
        """,
        """
        from __future__ import annotations

        b = list[float]


        def a(vector: Vector, factor: float) -> Vector:
            return [a * factor for a in vector]


        print(a([1.0, 2.0], 3.0))
        print(a.__annotations__)
        """,
    )


def test_an_import_used_only_in_lazy_annotations_is_not_renamed():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations

        from typing import Optional


        def first(items: list[str]) -> Optional[str]:
            return items[0] if items else None


        print(first(["x"]), first([]), first.__annotations__)
        """,
        """
        from __future__ import annotations

        from typing import Optional


        def a(items: list[str]) -> Optional[str]:
            return items[0] if items else None


        print(a(["x"]), a([]), a.__annotations__)
        """,
    )


def test_names_bound_inside_a_lazy_annotation_keep_their_text():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations


        def pick(items: list, chooser: [index for index in range(3)] = None) -> int:
            return len(items)


        for index in range(2):
            print(pick([index]), pick.__annotations__)
        """,
        """
        from __future__ import annotations


        def a(items: list, chooser: [index for index in range(3)] = None) -> int:
            return len(items)


        for b in range(2):
            print(a([b]), a.__annotations__)
        """,
    )


def test_names_in_annotations_that_get_type_hints_evaluates_keep_resolving():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations

        import typing as t


        class Shapes:
            class Circle:
                def __init__(self, radius: float) -> None:
                    self.radius = radius


        Scalar = float


        def area(circle: Shapes.Circle) -> Scalar:
            return 3.0 * circle.radius**2


        print(area(Shapes.Circle(2.0)), area.__annotations__)
        print(t.get_type_hints(area))
        """,
        """
        from __future__ import annotations

        import typing as t


        class Shapes:
            class Circle:
                def __init__(a, radius: float) -> None:
                    a.a = radius


        Scalar = float


        def a(circle: Shapes.Circle) -> Scalar:
            return 3.0 * circle.a**2


        print(a(Shapes.Circle(2.0)), a.__annotations__)
        print(t.get_type_hints(a))
        """,
    )


def test_evaluated_annotations_of_a_class_keep_names_and_keys():
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations

        import typing as t


        class Tree:
            children: list[Tree]


        print(t.get_type_hints(Tree), Tree.__annotations__)
        """,
        None,
    )


def test_dataclass_string_annotations_still_find_classvar():
    # dataclasses looks ClassVar up by the annotation's text in the module's globals.
    check_rewrite(
        RENAME,
        """
        from __future__ import annotations

        from dataclasses import dataclass
        from typing import ClassVar


        @dataclass
        class Config:
            size: int = 3
            instances: ClassVar[int] = 0


        print(Config(), Config.instances)
        """,
        """
        from __future__ import annotations

        from dataclasses import dataclass as a
        from typing import ClassVar


        @a
        class Config:
            size: int = 3
            instances: ClassVar[int] = 0


        print(Config(), Config.instances)
        """,
    )


# --- rename, without the future import ---------------------------------------------------------


def test_printed_annotations_without_the_future_import():
    # Annotations are objects here: the class prints its name and the parameters are the keys.
    check_rewrite(
        RENAME,
        """
        class Point:
            def __init__(self, x, y):
                self.x = x
                self.y = y


        def shift(point: Point, offset: float = 1.0) -> Point:
            return Point(point.x + offset, point.y)


        moved = shift(Point(1, 2))
        print(moved.x, moved.y)
        print(shift.__annotations__)
        """,
        """
        class Point:
            def __init__(a, x, y):
                a.x = x
                a.y = y


        def a(point: Point, offset: float = 1.0) -> Point:
            return Point(point.x + offset, point.y)


        b = a(Point(1, 2))
        print(b.x, b.y)
        print(a.__annotations__)
        """,
    )


def test_annotated_class_variables_are_keys_of_class_annotations():
    check_rewrite(
        RENAME,
        """
        class Settings:
            width: int = 3
            height: int = 4


        print(Settings.width * Settings.height, Settings.__annotations__)
        """,
        """
        class a:
            width: int = 3
            height: int = 4


        print(a.width * a.height, a.__annotations__)
        """,
    )


# --- builtin-alias -----------------------------------------------------------------------------


def test_builtin_alias_leaves_lazy_annotations_as_written():
    check_rewrite(
        ALIAS,
        """
        from __future__ import annotations


        def mean(values: list[float]) -> float:
            return float(sum(values)) / float(len(values))


        print(mean([1, 2]), float("1.5"), float(3), mean.__annotations__)
        """,
        """
        from __future__ import annotations
        a=float


        def mean(values: list[float]) -> float:
            return a(sum(values)) / a(len(values))


        print(mean([1, 2]), a("1.5"), a(3), mean.__annotations__)
        """,
    )


def test_builtin_alias_ignores_builtins_spelled_only_in_lazy_annotations():
    check_rewrite(
        ALIAS,
        """
        from __future__ import annotations


        def join(first: str, second: str, third: str) -> str:
            return first + second + third


        print(join("a", "b", "c"), join.__annotations__)
        """,
        None,
    )


def test_builtin_alias_keeps_evaluated_lazy_annotations_resolvable():
    check_rewrite(
        ALIAS,
        """
        from __future__ import annotations

        from typing import get_type_hints


        def ratio(top: float, bottom: float) -> float:
            return float(top) / float(bottom) + float(0)


        print(ratio(1, 2), get_type_hints(ratio))
        """,
        """
        from __future__ import annotations
        a=float

        from typing import get_type_hints


        def ratio(top: float, bottom: float) -> float:
            return a(top) / a(bottom) + a(0)


        print(ratio(1, 2), get_type_hints(ratio))
        """,
    )


def test_builtin_alias_without_the_future_import_may_alias_inside_annotations():
    # The annotation holds the builtin object itself, which prints the same through the alias.
    check_rewrite(
        ALIAS,
        """
        def mean(values: list[float]) -> float:
            return float(sum(values)) / float(len(values))


        print(mean([1, 2]), float("1.5"), float(3), mean.__annotations__)
        """,
        """
        a=float
        def mean(values: list[a]) -> a:
            return a(sum(values)) / a(len(values))


        print(mean([1, 2]), a("1.5"), a(3), mean.__annotations__)
        """,
    )
