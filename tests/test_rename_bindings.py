"""The renaming analysis: which bindings it finds, how reads resolve, and what it keeps."""

from golfkit.rename import analyse
from tests.support import dedent

TRICKY = dedent(
    """
    import math

    limit = 3


    def outer(values, scale=limit):
        found = [last := value * scale for value in values if value]
        rows = [cell for row in [values] for cell in row]

        def inner():
            nonlocal scale
            scale += 1
            return scale + limit

        return found, last, rows, inner()


    class Point:
        origin = 1
        offsets = [step * 2 for step in range(origin + limit)]

        def norm(self):
            return math.log(self.origin + 1) + Point.origin


    try:
        outer([1])
    except ValueError as error:
        del error
    print(outer([1, 2]), Point.offsets, Point().norm(), f"{limit}")
    """
)


def test_dump_of_tricky_program():
    # (scope, name, bindings, references, reason kept), in order of first appearance.
    assert analyse(TRICKY).dump() == [
        ("global", "math", 0, 1, None),  # bound by `import math`: renaming adds `as`
        # Read by the default (evaluated outside), in inner, in a class body's first iterator
        # and in an f-string.
        ("global", "limit", 1, 4, None),
        ("global", "outer", 1, 2, None),
        ("function outer", "values", 1, 2, None),
        # The parameter and `scale += 1` in inner (tied by nonlocal) are one binding.
        ("function outer", "scale", 2, 2, None),
        ("function outer", "found", 1, 1, None),
        ("comprehension", "last", 1, 0, "bound by := inside a comprehension"),
        ("comprehension", "value", 1, 2, None),
        ("function outer", "rows", 1, 1, None),
        # `row` is read by a later clause: libcst leaves it unresolved, the analysis does not.
        ("comprehension", "cell", 1, 1, None),
        ("comprehension", "row", 1, 1, None),
        ("function outer", "inner", 1, 1, None),
        ("global", "Point", 1, 3, None),
        # Class-body names are attributes: read as `self.origin`, `Point.origin` and, in the
        # class body, by the comprehension's first iterator.
        ("attribute", "origin", 1, 3, None),
        ("attribute", "offsets", 1, 1, None),
        ("comprehension", "step", 1, 1, None),
        ("attribute", "norm", 1, 1, None),
        ("function norm", "self", 1, 1, None),
        ("global", "error", 1, 1, None),  # `except ... as error` binds; `del error` reads
    ]


def test_declarations_and_keywords_are_spellings_of_their_binding():
    analysis = analyse(
        dedent(
            """
            count = 0
            def bump(step):
                global count
                count += step
            bump(step=2)
            print(count)
            """
        )
    )
    groups = {(g.scope_label, g.name): g for g in analysis.groups}
    assert [n.value for n in groups["global", "count"].others] == ["count"]  # the global statement
    assert [n.value for n in groups["function bump", "step"].others] == ["step"]  # bump(step=2)


def test_scopes_a_new_name_must_be_free_in():
    analysis = analyse(
        dedent(
            """
            shared = 1
            def outer():
                local = 2
                def inner():
                    return shared
                return inner() + local
            print(outer())
            """
        )
    )
    groups = {g.name: g for g in analysis.groups}
    labels = {analysis.index.label(s) for s in groups["shared"].scopes}
    # A read from inner passes through outer: a new name equal to outer's `local` would be captured.
    assert labels == {"global", "function outer", "function inner"}


def test_reasons_for_keeping_names():
    analysis = analyse(
        dedent(
            """
            import os.path
            class Error(Exception):
                pass
            class Box:
                def __init__(self):
                    self.contents = []
                    self.size = 0
                    self.__secret = 1
                def append(self, item):
                    self.contents.append(item)
            box = Box()
            print(getattr(box, "size"), os.path.sep, Error)
            """
        )
    )
    kept = {g.name: g.frozen for g in analysis.groups if g.frozen}
    assert kept["os"] == "dotted import"
    assert kept["Error"].startswith("class name may show in output")
    assert kept["size"] == "reached by getattr/setattr/hasattr"
    assert kept["append"] == "also an attribute of builtin types"
    assert kept["__secret"] == "dunder or private name"
    assert kept["__init__"] == "dunder or private name"
    assert "contents" not in kept and "box" not in kept


def test_attribute_read_on_library_object_is_frozen():
    analysis = analyse(
        dedent(
            """
            import random
            class Dice:
                def __init__(self):
                    self.seed = 1
                    self.faces = 6
            generator = random.Random(4)
            generator.seed(5)
            print(Dice().faces, Dice().seed)
            """
        )
    )
    kept = {g.name: g.frozen for g in analysis.groups if g.frozen}
    assert kept["seed"] == "used on a library object (generator)"
    assert "faces" not in kept
