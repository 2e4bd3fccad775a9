"""Known renaming traps: each program runs the same after the rename pass, and what must keep its
name does."""

import pytest

from golfkit.passes.rename import RenamePass
from tests.support import assert_same_behaviour, dedent

RENAME = RenamePass()


def renamed(source: str) -> str:
    source = dedent(source)
    output = RENAME.run(source)
    compile(output, "<renamed>", "exec")
    assert_same_behaviour(source, output)
    return output


def test_walrus_in_comprehension_binds_in_the_enclosing_function():
    output = renamed(
        """
        def running(values):
            sums = [total := value * 2 for value in values]
            return sums, total


        def other():
            total = 5
            return total


        print(running([1, 2, 3]), other())
        """
    )
    assert "total :=" in output and ", total" in output


def test_first_iterator_of_a_class_body_comprehension_sees_the_class():
    output = renamed(
        """
        class Table:
            width = 3
            columns = [index * 2 for index in range(width)]


        print(Table.columns, Table.width)
        """
    )
    assert "width" not in output


def test_class_body_names_are_not_visible_in_methods():
    renamed(
        """
        size = "global"


        class Holder:
            before = size
            size = "class"
            after = size

            def read(self):
                return size, self.size, self.before, self.after


        print(Holder().read())
        """
    )


def test_default_arguments_are_evaluated_once_outside_the_function():
    renamed(
        """
        first = 10


        def shifted(first, second=first, seen=[]):
            seen.append(first)
            return first + second, len(seen)


        print(shifted(1), shifted(2), shifted(3, second=0))
        """
    )


def test_new_names_never_capture_a_read_global():
    output = renamed(
        """
        alpha = 1
        beta = 2


        def combine(a, b):
            def inner(c):
                return a + b + c + alpha + beta

            return inner(3)


        print(combine(10, 20), alpha, beta)
        """
    )
    assert "def combine(a, b)" not in output or "alpha" in output


def test_no_duplicate_parameters_or_shadowed_outer_names():
    source = dedent(
        """
        number = 4


        def scale(factor, offset, a):
            def apply(value):
                return value * factor + offset + a + number

            return [apply(item) for item in range(number)]


        print(scale(2, 1, 7))
        """
    )
    output = renamed(source)
    header = next(line for line in output.splitlines() if line.startswith("def "))
    params = header[header.index("(") + 1 : header.index(")")].split(", ")
    assert len(set(params)) == len(params)


def test_names_inside_fstrings_are_renamed():
    output = renamed(
        """
        greeting = "hi"
        for counter in range(2):
            print(f"{greeting} {counter:>3} {greeting!r}")
        """
    )
    assert "greeting" not in output and "counter" not in output


def test_del_and_except_as():
    renamed(
        """
        def attempt(divisor):
            try:
                result = 10 // divisor
            except ZeroDivisionError as problem:
                result = str(problem)
                del problem
            return result


        scratch = [1, 2]
        del scratch[0]
        leftover = scratch
        del scratch
        print(attempt(0), attempt(5), leftover)
        """
    )


def test_dotted_import_is_kept():
    output = renamed(
        """
        import os.path
        import xml.dom

        print(os.path.basename("a/b.txt"), os.path.dirname("a/b"), xml.dom.Node.ELEMENT_NODE)
        """
    )
    assert "import os.path\n" in output and "xml.dom.Node" in output


def test_lambda_parameter_passed_by_keyword_is_kept():
    output = renamed(
        """
        double = lambda amount: amount * 2
        print(double(amount=3), double(4))
        """
    )
    assert "amount" in output


def test_keyword_to_an_escaping_function_keeps_the_parameter():
    output = renamed(
        """
        import functools


        def power(base, exponent):
            return base**exponent


        square = functools.partial(power, exponent=2)
        print(square(5), power(2, 3))
        """
    )
    assert "exponent" in output and "base" not in output


def test_computed_slots_freeze_attributes():
    output = renamed(
        """
        names = ("left", "right")


        class Pair:
            __slots__ = names

            def __init__(self):
                self.left = 1
                self.right = 2


        print(Pair().left)
        """
    )
    assert "self.left" not in output and ".left" in output


def test_printed_class_keeps_its_name():
    output = renamed(
        """
        class Marker:
            pass


        print(Marker, Marker() is not None)
        """
    )
    assert "class Marker" in output


def test_reading_dunder_name_keeps_function_and_class_names():
    output = renamed(
        """
        def compute():
            return 1


        class Widget:
            pass


        print(compute.__name__, type(Widget()).__name__, compute())
        """
    )
    assert "def compute" in output and "class Widget" in output


def test_library_subclass_keeps_its_names():
    output = renamed(
        """
        import threading


        class Worker(threading.Thread):
            def __init__(self):
                super().__init__()
                self.result = None

            def run(self):
                self.result = 42


        class Problem(Exception):
            pass


        worker = Worker()
        worker.start()
        worker.join()
        try:
            raise Problem("bad")
        except Problem as caught:
            print(repr(caught), worker.result)
        """
    )
    assert "def run(" in output and "class Problem" in output and ".result = 42" in output


def test_conditionally_shadowed_builtin_is_kept():
    output = renamed(
        """
        if False:
            len = lambda value: 0
        print(len("abc"))
        """
    )
    assert "len = " in output


def test_string_annotation_keeps_the_class_name():
    output = renamed(
        """
        class Node:
            def child(self) -> "Node":
                return Node()


        print(type(Node().child()) is Node)
        """
    )
    assert "class Node" in output


def test_comprehension_clauses_resolve_to_their_own_targets():
    output = renamed(
        """
        row = "outer"
        grid = [[1, 2], [3]]
        flat = [cell for line in grid for row in [line] for cell in row]
        print(flat, row)
        """
    )
    assert "row" not in output


# Each driver goes through its hook, and neither raises (a traceback would name renamed classes).
DRIVERS = {
    "__getattr__": "print(Record().size, Record().describe())",
    "__setattr__": "record = Record(); record.size = 5; print(record.fields, record.describe())",
}


@pytest.mark.parametrize("hook", ["__getattr__", "__setattr__"])
def test_attribute_hooks_freeze_attributes(hook):
    output = renamed(
        f"""
        class Record:
            def __init__(self):
                object.__setattr__(self, "fields", {{"size": 3}})

            def {hook}(self, *args):
                return object.__getattribute__(self, "fields")["size"]

            def describe(self):
                return "record"


        {DRIVERS[hook]}
        """
    )
    assert "describe" in output


def test_reads_before_the_binding_in_a_loop_resolve_to_it():
    output = renamed(
        """
        def running():
            for step in range(3):
                if step:
                    print(partial)
                partial = step * 10


        for round_number in range(2):
            if round_number:
                print(previous)
            previous = round_number
        try:
            marker
        except NameError:
            marker = "set"
        running()
        print(marker)
        """
    )
    assert "partial" not in output and "previous" not in output and "marker" not in output
