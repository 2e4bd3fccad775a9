"""Passes beside ``match`` statements. libcst files a capture (``case x``) as a read of whatever
outer binding has its name and a class-pattern keyword (``Point(x=...)``) as a read too; a pass
that trusted that would propagate, inline or drop the wrong thing. Each pass leaves those names
alone and goes on with the rest of the program. Every rewrite is judged by running both sides."""

from __future__ import annotations

import tempfile
from pathlib import Path

from golfkit.passes import load_pass
from golfkit.passes.base import PassContext
from golfkit.trace import executed_lines
from tests.support import PassTest, dedent


def traced(source: str) -> PassContext:
    with tempfile.TemporaryDirectory() as folder:
        return PassContext(executed_lines=executed_lines(dedent(source), Path(folder)))


class TestConstants(PassTest):
    golf_pass = load_pass("constants")

    def test_a_captured_name_is_no_constant(self):
        # ``limit`` in pick is the capture, not the module's 10; ``scale`` still propagates.
        self.assert_rewrite(
            """
            limit = 10
            scale = 3


            def pick(value):
                match value:
                    case [limit]:
                        return limit * scale
                return scale + 1


            print(pick([4]), pick(None), limit)
            """,
            """
            limit = 10


            def pick(value):
                match value:
                    case [limit]:
                        return limit * 3
                return 4


            print(pick([4]), pick(None), limit)
            """,
        )

    def test_a_class_pattern_keyword_is_not_a_read(self):
        # ``x=`` names Point's attribute: the variable x propagates and the keyword stays.
        self.assert_rewrite(
            """
            x = 5


            class Point:
                def __init__(self, x):
                    self.x = x


            def where(point):
                match point:
                    case Point(x=0):
                        return "origin", x
                return "elsewhere", x


            print(where(Point(0)), where(Point(1)))
            """,
            """
            class Point:
                def __init__(self, x):
                    self.x = x


            def where(point):
                match point:
                    case Point(x=0):
                        return "origin", 5
                return "elsewhere", 5


            print(where(Point(0)), where(Point(1)))
            """,
        )

    def test_expressions_of_captured_names_do_not_fold(self):
        self.assert_rewrite(
            """
            width = 4


            def double(value):
                match value:
                    case {"w": width}:
                        return width * 2 + 1
                return 2 * 3


            print(double({"w": 10}), double(1), width)
            """,
            """
            width = 4


            def double(value):
                match value:
                    case {"w": width}:
                        return width * 2 + 1
                return 6


            print(double({"w": 10}), double(1), width)
            """,
        )


class TestFixedDefaults(PassTest):
    golf_pass = load_pass("fixed-defaults")

    def test_a_captured_parameter_keeps_its_default(self):
        self.assert_rewrite(
            """
            def classify(value, threshold=5, label="big"):
                match value:
                    case [label]:
                        return label, threshold
                return "small" if value < threshold else "large"


            print(classify(7), classify(2), classify(["tag"]))
            """,
            """
            def classify(value, label="big"):
                match value:
                    case [label]:
                        return label, 5
                return "small" if value < 5 else "large"


            print(classify(7), classify(2), classify(["tag"]))
            """,
        )

    def test_a_class_pattern_keyword_is_not_a_read_of_the_parameter(self):
        self.assert_rewrite(
            """
            class Box:
                def __init__(self, size):
                    self.size = size


            def fits(box, size=3, scale=1):
                match box:
                    case Box(size=1):
                        return True
                return box.size * scale <= size


            print(fits(Box(1)), fits(Box(2)), fits(Box(4)))
            """,
            """
            class Box:
                def __init__(self, size):
                    self.size = size


            def fits(box):
                match box:
                    case Box(size=1):
                        return True
                return box.size * 1 <= 3


            print(fits(Box(1)), fits(Box(2)), fits(Box(4)))
            """,
        )


class TestListOps(PassTest):
    golf_pass = load_pass("list-ops")

    def test_a_name_a_pattern_may_bind_keeps_its_method_call(self):
        # The capture may hold any object: its append is not a list's.
        self.assert_rewrite(
            """
            class Log:
                def __init__(self):
                    self.lines = []

                def append(self, line):
                    self.lines.append(line.upper())


            def record(value):
                entries = []
                match value:
                    case {"log": entries}:
                        pass
                entries.append("x")
                kept = []
                kept.append("y")
                return entries, kept


            log = Log()
            print(record({"log": log})[1], log.lines, record(1))
            """,
            """
            class Log:
                def __init__(self):
                    self.lines = []

                def append(self, line):
                    self.lines.append(line.upper())


            def record(value):
                entries = []
                match value:
                    case {"log": entries}:
                        pass
                entries.append("x")
                kept = []
                kept+="y",
                return entries, kept


            log = Log()
            print(record({"log": log})[1], log.lines, record(1))
            """,
        )


class TestPositionalArgs(PassTest):
    golf_pass = load_pass("positional-args")

    def test_a_captured_callee_is_not_the_builtin(self):
        self.assert_rewrite(
            """
            def shout(text, times=1, ndigits=0):
                return text.upper() * times + "!" * ndigits


            def apply(value):
                match value:
                    case (round, payload):
                        return round(payload, ndigits=2)
                return None


            print(apply((shout, "a")), int("ff", base=16), divmod(7, 2), pow(2, 3, mod=5))
            """,
            """
            def shout(text, times=1, ndigits=0):
                return text.upper() * times + "!" * ndigits


            def apply(value):
                match value:
                    case (round, payload):
                        return round(payload, ndigits=2)
                return None


            print(apply((shout, "a")), int("ff", base=16), divmod(7, 2), pow(2, 3, 5))
            """,
        )


class TestDeadCode(PassTest):
    golf_pass = load_pass("dead-code")

    def test_members_read_by_class_pattern_keywords_stay(self):
        self.assert_rewrite(
            """
            class Temperature:
                kind = "reading"
                unit = "kelvin"

                def __init__(self, kelvin):
                    self.kelvin = kelvin

                @property
                def celsius(self):
                    return self.kelvin - 273

                def unused(self):
                    return 1


            def describe(reading):
                match reading:
                    case Temperature(celsius=0, kind="reading"):
                        return "freezing"
                    case Temperature(celsius=value) if value > 30:
                        return f"hot {value}"
                return "other"


            print(describe(Temperature(273)), describe(Temperature(310)), describe(Temperature(280)))
            """,
            """
            class Temperature:
                kind = "reading"

                def __init__(self, kelvin):
                    self.kelvin = kelvin

                @property
                def celsius(self):
                    return self.kelvin - 273


            def describe(reading):
                match reading:
                    case Temperature(celsius=0, kind="reading"):
                        return "freezing"
                    case Temperature(celsius=value) if value > 30:
                        return f"hot {value}"
                return "other"


            print(describe(Temperature(273)), describe(Temperature(310)), describe(Temperature(280)))
            """,
        )


class TestContractPrune(PassTest):
    golf_pass = load_pass("contract-prune")

    def test_a_method_read_by_a_class_pattern_keyword_stays(self):
        before = """
            class Greeter:
                def greet(self):
                    return "hi"

                def other(self):
                    return "never"


            match Greeter():
                case Greeter(greet=method):
                    print("has it", callable(method))
            """
        after = """
            class Greeter:
                def greet(self):
                    return "hi"


            match Greeter():
                case Greeter(greet=method):
                    print("has it", callable(method))
            """
        self.assert_rewrite(before, after, context=traced(before))


class TestDictToList(PassTest):
    golf_pass = load_pass("dict-to-list")

    def test_a_captured_key_name_is_no_constant_key(self):
        self.assert_rewrite(
            """
            KEY = "a"


            def lookup(value):
                table = {"a": 1, "b": 2}
                match value:
                    case KEY:
                        return table[KEY]


            def plain():
                table = {"a": 1, "b": 2}
                return table["a"] + table["b"]


            print(lookup("b"), lookup("a"), plain())
            """,
            """
            KEY = "a"


            def lookup(value):
                table = {"a": 1, "b": 2}
                match value:
                    case KEY:
                        return table[KEY]


            def plain():
                table = [1, 2]
                return table[0] + table[1]


            print(lookup("b"), lookup("a"), plain())
            """,
        )

    def test_a_captured_len_is_not_the_builtin(self):
        self.assert_noop(
            """
            def size(value):
                config = {"a": 1, "b": 2}
                match value:
                    case [len]:
                        return len(config), config["a"]
                return 0


            print(size([lambda d: type(d).__name__]), size(1))
            """
        )


class TestUnroll(PassTest):
    golf_pass = load_pass("unroll")

    def test_a_captured_count_is_not_the_constant(self):
        self.assert_rewrite(
            """
            COUNT = 1


            def repeat(value):
                out = []
                match value:
                    case COUNT:
                        for index in range(COUNT):
                            out.append(index)
                for index in range(1):
                    out.append(-index)
                return out


            print(repeat(3), repeat(1))
            """,
            """
            COUNT = 1


            def repeat(value):
                out = []
                match value:
                    case COUNT:
                        for index in range(COUNT):
                            out.append(index)
                index = 0
                out.append(-index)
                return out


            print(repeat(3), repeat(1))
            """,
        )

    def test_a_captured_range_is_not_the_builtin(self):
        self.assert_noop(
            """
            def spread(value):
                match value:
                    case [range]:
                        return [index for index in range(1)]
                return None


            print(spread([lambda n: [5, 6]]), [index for index in range(1)])
            """
        )


class TestLoopComprehension(PassTest):
    golf_pass = load_pass("loop-comprehension")

    def test_a_loop_reading_a_capture_stays_a_loop(self):
        # Unbound, the capture raises UnboundLocalError in the loop but NameError in a comprehension.
        self.assert_rewrite(
            """
            def grow(value):
                match value:
                    case [size]:
                        pass
                rows = []
                for index in range(2):
                    rows.append(size + index)
                cols = []
                for index in range(2):
                    cols.append(value[0] * index)
                return rows, cols


            print(grow([1]))
            try:
                grow(2)
            except NameError as error:
                print(type(error).__name__, error)
            """,
            """
            def grow(value):
                match value:
                    case [size]:
                        pass
                rows = []
                for index in range(2):
                    rows.append(size + index)
                cols = [value[0] * index for index in range(2)]
                return rows, cols


            print(grow([1]))
            try:
                grow(2)
            except NameError as error:
                print(type(error).__name__, error)
            """,
        )


class TestInline(PassTest):
    golf_pass = load_pass("inline")

    def test_a_tiny_function_is_not_inlined_where_its_free_name_is_captured(self):
        self.assert_noop(
            """
            SCALE = 10


            def scaled(n):
                return n * SCALE


            def use(value):
                match value:
                    case [SCALE, _]:
                        return scaled(3)
                return 0


            print(use([2, 3]), use(1), SCALE)
            """
        )

    def test_tiny_functions_inline_into_case_bodies(self):
        self.assert_rewrite(
            """
            def scaled(n):
                return n * 10


            def use(value):
                match value:
                    case [factor, _]:
                        return factor + scaled(2)
                return scaled(3)


            print(use([2, 3]), use(1))
            """,
            """
            def use(value):
                match value:
                    case [factor, _]:
                        return factor + 2 * 10
                return 3 * 10


            print(use([2, 3]), use(1))
            """,
        )


class TestListSplice(PassTest):
    golf_pass = load_pass("list-splice")

    def test_a_captured_callable_is_not_mapped(self):
        # map() would drop the comprehension's frame from a traceback the program prints.
        self.assert_noop(
            """
            import traceback


            def convert(value):
                match value:
                    case [str, items]:
                        return [0] + [str(item) for item in items]
                return [0] + [str(item) for item in value]


            def fail(item):
                raise ValueError(item)


            print(convert([lambda item: item * 2, [1, 2]]), convert([3]))
            try:
                convert([fail, [1]])
            except ValueError as error:
                print([frame.name for frame in traceback.extract_tb(error.__traceback__)])
            """
        )

    def test_captures_are_spliced_like_any_list(self):
        self.assert_rewrite(
            """
            def convert(value):
                match value:
                    case [first, *rest]:
                        return [first] + [str(item) for item in rest]
                return []


            print(convert([1, 2, 3]))
            """,
            """
            def convert(value):
                match value:
                    case [first, *rest]:
                        return [first, *map(str, rest)]
                return []


            print(convert([1, 2, 3]))
            """,
        )


class TestOpenFold(PassTest):
    golf_pass = load_pass("open-fold")

    def test_a_captured_open_is_not_the_builtin(self):
        self.assert_noop(
            """
            class Opened:
                def __init__(self, path):
                    self.path = path

                def __enter__(self):
                    return Reader(self.path + " (entered)")

                def __exit__(self, *exc):
                    return False

                def read(self):
                    return self.path + " (not entered)"


            class Reader:
                def __init__(self, text):
                    self.text = text

                def read(self):
                    return self.text


            def load(value):
                match value:
                    case [open]:
                        with open("notes") as handle:
                            text = handle.read()
                        return text
                return None


            print(load([Opened]))
            """
        )
