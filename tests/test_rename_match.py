"""Renaming around ``match`` statements: captures bind like assignments in the statement's scope,
class-pattern keywords are attribute names, value patterns are reads. Every rewrite is judged by
running both sides; names that cannot be proven safe are kept one by one, with a reason."""

from golfkit.passes.builtin_alias import BuiltinAliasPass
from golfkit.passes.rename import RenamePass
from golfkit.rename import analyse
from tests.support import PassTest, assert_same_behaviour, dedent

RENAME = RenamePass()
ALIAS = BuiltinAliasPass()


def renamed(source: str) -> str:
    source = dedent(source)
    output = RENAME.run(source)
    compile(output, "<renamed>", "exec")
    assert_same_behaviour(source, output)
    return output


def reasons(source: str) -> dict[tuple[str, str], str | None]:
    """(scope, name) -> why the name is kept (None: renamed)."""
    return {(scope, name): frozen for scope, name, _, _, frozen in analyse(dedent(source)).dump()}


class TestCaptures(PassTest):
    golf_pass = RENAME

    def test_one_match_statement_leaves_the_other_names_renamable(self):
        self.assert_rewrite(
            """
            def average(values):
                total = sum(values)
                return total / len(values)


            def kind(value):
                match value:
                    case [first, *others]:
                        return f"list of {len(others) + 1} from {first}"
                    case _:
                        return "other"


            print(average([1, 2, 3]), kind([4, 5]), kind(6))
            """,
            """
            def b(a):
                b = sum(a)
                return b / len(a)


            def a(a):
                match a:
                    case [b, *c]:
                        return f"list of {len(c) + 1} from {b}"
                    case _:
                        return "other"


            print(b([1, 2, 3]), a([4, 5]), a(6))
            """,
        )

    def test_mapping_rest_or_patterns_guards_and_as(self):
        self.assert_rewrite(
            """
            def describe(message):
                match message:
                    case {"type": "click", "pos": (column, row)}:
                        return f"click {column},{row}"
                    case {"type": kind, **details}:
                        return f"{kind} {sorted(details)}"
                    case [number] | (number, 0):
                        return f"one {number}"
                    case count if count > 10:
                        return f"many {count}"
                    case (1 | 2) as small:
                        return f"small {small}"
                return "none"


            for message in [{"type": "click", "pos": (1, 2)}, {"type": "key", "code": 3}, [7], (8, 0), 20, 2, 5]:
                print(describe(message))
            """,
            """
            def a(c):
                match c:
                    case {"type": "click", "pos": (d, e)}:
                        return f"click {d},{e}"
                    case {"type": f, **g}:
                        return f"{f} {sorted(g)}"
                    case [a] | (a, 0):
                        return f"one {a}"
                    case b if b > 10:
                        return f"many {b}"
                    case (1 | 2) as h:
                        return f"small {h}"
                return "none"


            for b in [{"type": "click", "pos": (1, 2)}, {"type": "key", "code": 3}, [7], (8, 0), 20, 2, 5]:
                print(a(b))
            """,
        )

    def test_class_patterns_keep_keywords_and_rename_captures(self):
        # ``x=`` and ``y=`` name attributes; the local ``x`` beside them is a variable of its own.
        self.assert_rewrite(
            """
            class Point:
                __match_args__ = ("x", "y")

                def __init__(self, x, y):
                    self.x = x
                    self.y = y


            def where(point):
                x = "left"
                match point:
                    case Point(x=0, y=height) as origin:
                        return x, height, origin.y
                    case Point(across, 0):
                        return x, across
                    case Point(x=across, y=Point(x=inner)):
                        return across, inner
                return None


            print(where(Point(0, 5)), where(Point(3, 0)), where(Point(2, Point(7, 1))), where(Point(1, 1)))
            """,
            """
            class a:
                __match_args__ = ("x", "y")

                def __init__(a, x, y):
                    a.x = x
                    a.y = y


            def b(c):
                x = "left"
                match c:
                    case a(x=0, y=d) as e:
                        return x, d, e.y
                    case a(b, 0):
                        return x, b
                    case a(x=b, y=a(x=f)):
                        return b, f
                return None


            print(b(a(0, 5)), b(a(3, 0)), b(a(2, a(7, 1))), b(a(1, 1)))
            """,
        )


def test_a_capture_is_local_to_the_whole_function():
    # The capture makes ``last`` local: the read before the match sees the previous iteration.
    output = renamed(
        """
        last = "global"


        def walk(items):
            seen = []
            for item in items:
                if seen:
                    seen.append(last)
                match item:
                    case int(last):
                        seen.append(last)
            return seen


        print(walk([1, 2, 3]), last)
        """
    )
    assert "last" not in output


def test_closures_read_the_capture():
    output = renamed(
        """
        def outer(value):
            def double():
                return captured * 2

            match value:
                case [captured, *_]:
                    pass
            return double()


        print(outer([21, 1]))
        """
    )
    assert "captured" not in output


def test_global_and_nonlocal_captures_rename_with_their_binding():
    output = renamed(
        """
        latest = None


        def record(value):
            global latest
            match value:
                case str(latest):
                    return "text"
            return "other"


        def counter():
            tally = 0

            def bump(value):
                nonlocal tally
                match value:
                    case int(tally):
                        pass
                return tally

            return bump(5) + tally


        print(record("a"), latest, record(3), latest, counter())
        """
    )
    assert "latest" not in output and "tally" not in output


def test_a_name_bound_only_by_captures_reaches_nonlocal():
    # No assignment anywhere: ``nonlocal first`` reaches a binding only a pattern makes.
    output = renamed(
        """
        def outer(value):
            match value:
                case [first, *_]:
                    pass

            def replace(other):
                nonlocal first
                match other:
                    case [first]:
                        pass

            replace([9])
            return first


        print(outer([4, 5]))
        """
    )
    assert "first" not in output


def test_a_capture_in_a_function_does_not_touch_the_global_of_that_name():
    output = renamed(
        """
        item = "module"


        def pick(value):
            match value:
                case [item]:
                    return item
            return None


        def show():
            return item


        print(pick([3]), show(), item)
        """
    )
    assert "item" not in output


def test_value_patterns_are_reads():
    output = renamed(
        """
        class Color:
            RED = 1
            GREEN = 2


        def paint(value):
            match value:
                case Color.RED:
                    return 1
                case Color.GREEN | 7:
                    return 2
                case int(number):
                    return number * 3
            return 0


        print(paint(1), paint(2), paint(7), paint(9), paint("x"))
        """
    )
    assert "Color" not in output and "RED" not in output and "number" not in output


def test_capture_values_of_library_classes_keep_their_attributes():
    # libcst resolves ``day`` to the global Event: the capture holds a date, whose ``year`` stays.
    output = renamed(
        """
        from datetime import date


        class Event:
            def __init__(self, year):
                self.year = year


        day = Event(1999)


        def when(value):
            match value:
                case date() as day:
                    return day.year
            return None


        print(when(date(2020, 5, 1)), when(3), day.year)
        """
    )
    assert ".year" in output


def test_attributes_read_on_captures_of_own_classes_are_renamed():
    found = reasons(
        """
        class Event:
            def __init__(self, year):
                self.year = year


        def when(value):
            match value:
                case Event() as event:
                    return event.year + 1
                case [Event(year=old)]:
                    return old
            return None


        print(when(Event(7)), when([Event(1)]))
        """
    )
    assert found[("attribute", "year")] == "matched by a class pattern"
    found = reasons(
        """
        class Event:
            def __init__(self, year):
                self.year = year


        def when(value):
            match value:
                case Event() as event:
                    return event.year + 1
            return None


        print(when(Event(7)))
        """
    )
    assert found[("attribute", "year")] is None


def test_class_body_captures_are_kept_with_a_reason():
    source = """
        class Settings:
            match [1, 2]:
                case [width, height]:
                    area = width * height


        print(Settings.width, Settings.area)
        """
    found = reasons(source)
    # A class-body binding is a class attribute: the attribute keeps its name.
    assert found[("attribute", "width")] == "bound by a match pattern in a class body"
    renamed(source)


def test_keyword_names_of_class_patterns_are_kept_as_attributes():
    source = """
        class Box:
            def __init__(self, size):
                self.size = size


        def measure(box):
            size = 10
            match box:
                case Box(size=3):
                    return size
                case Box(size=found):
                    return size + found
            return 0


        print(measure(Box(3)), measure(Box(4)))
        """
    found = reasons(source)
    assert found[("attribute", "size")] == "matched by a class pattern"
    assert found[("function measure", "size")] is None
    output = renamed(source)
    assert "(size=3)" in output and "(size=d)" in output and "size = 10" not in output


def test_the_wildcard_binds_nothing():
    output = renamed(
        """
        def first(value):
            match value:
                case [head, *_]:
                    return head
                case _:
                    return None


        _ = "kept"
        print(first([1, 2]), first(3), _)
        """
    )
    assert "case _:" in output and "*_]" in output


class TestAliasesBesideMatch(PassTest):
    golf_pass = ALIAS

    def test_builtins_are_aliased_in_a_program_with_match(self):
        self.assert_rewrite(
            """
            for command in ["go", "stop", "go"]:
                match command:
                    case "go":
                        print(len(command), len("a"), len("b"), len("c"), len("d"))
                    case _:
                        print(len(command))
            """,
            """
            a=len
            for command in ["go", "stop", "go"]:
                match command:
                    case "go":
                        print(a(command), a("a"), a("b"), a("c"), a("d"))
                    case _:
                        print(a(command))
            """,
        )

    def test_keywords_of_class_patterns_are_not_builtin_reads(self):
        self.assert_rewrite(
            """
            class Box:
                def __init__(self, number):
                    self.abs = number


            for box in [Box(1), Box(-2)]:
                match box:
                    case Box(abs=1):
                        print(abs(box.abs), abs(-1), abs(-2), abs(-3))
                    case _:
                        print(abs(box.abs))
            """,
            """
            a=abs
            class Box:
                def __init__(self, number):
                    self.abs = number


            for box in [Box(1), Box(-2)]:
                match box:
                    case Box(abs=1):
                        print(a(box.abs), a(-1), a(-2), a(-3))
                    case _:
                        print(a(box.abs))
            """,
        )

    def test_a_builtin_name_captured_anywhere_is_not_aliased(self):
        self.assert_noop(
            """
            def largest(value):
                match value:
                    case [max]:
                        return max
                return max(value)


            print(largest([3]), largest([1, 2]), max(1, 2), max(3, 4), max(5, 6), max(7, 8))
            """
        )

    def test_a_module_name_captured_anywhere_is_not_aliased(self):
        # libcst reads the capture as a use of the import other than ``m.f(...)``: the module
        # counts as passed around, and none of its functions is aliased.
        self.assert_noop(
            """
            import random

            random.seed(1)


            class Picker:
                def choice(self, items):
                    return items[-1]


            def pick(source):
                match source:
                    case Picker() as random:
                        return random.choice([1, 2, 3]), random.choice([4, 5])
                return random.choice([1, 2, 3]), random.choice([4, 5])


            print(pick(Picker()), pick(None), random.choice([7, 8]))
            """
        )


def test_rename_then_alias_on_the_match_corpus_program():
    from pathlib import Path

    source = (Path(__file__).parent / "corpus" / "match_shapes.py").read_text(encoding="utf-8")
    output = ALIAS.run(RENAME.run(source))
    assert_same_behaviour(source, output)
    assert "def describe(shape)" not in output  # parameters and captures got short names
