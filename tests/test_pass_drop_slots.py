"""drop-slots: before/after pairs that must print the same, and the cases it must leave alone."""

from __future__ import annotations

import pytest

from golfkit.passes.drop_slots import DropSlotsPass
from tests.support import PassTest, dedent

PASS = DropSlotsPass()

VALUE = """
class Value:
    __slots__ = ('data', 'grad')

    def __init__(self, data):
        self.data = data
        self.grad = 0

    def __add__(self, other):
        return Value(self.data + (other.data if isinstance(other, Value) else other))
"""

VALUE_AFTER = """
class Value:
    def __init__(self, data):
        self.data = data
        self.grad = 0

    def __add__(self, other):
        return Value(self.data + (other.data if isinstance(other, Value) else other))
"""

DRIVER = """
v = Value(2) + 3
v.grad += 1.5
print(v.data, v.grad)
try:
    print(Value(1).missing)
except AttributeError as error:
    print('no attribute:', error)
"""


class TestDropSlots(PassTest):
    golf_pass = PASS

    def test_tuple_of_slots(self):
        self.assert_rewrite(VALUE + DRIVER, VALUE_AFTER + DRIVER)

    @pytest.mark.parametrize(
        "declaration",
        [
            pytest.param("__slots__ = ['data', 'grad']", id="list"),
            pytest.param("__slots__ = *'dg',", id="starred-string"),
            pytest.param("__slots__ = 'data', 'grad', 'extra'", id="bare-tuple-with-spare-slot"),
        ],
    )
    def test_other_spellings(self, declaration):
        first = "d" if "'dg'" in declaration else "data"
        before = dedent(
            f"""
            class V:
                {declaration}
                def __init__(self, d):
                    self.{first} = d
            v = V(3)
            v.{first} *= 2
            print(v.{first})
            """
        )
        self.assert_rewrite(before, before.replace(f"    {declaration}\n", ""))

    def test_single_string_slot_beside_another_statement(self):
        self.assert_rewrite(
            """
            class Box:
                __slots__ = 'item'; size = 1
                def __init__(self, item): self.item = item
            print(Box(4).item)
            """,
            """
            class Box:
                size = 1
                def __init__(self, item): self.item = item
            print(Box(4).item)
            """,
        )

    def test_stores_on_another_sealed_class_instance_and_a_module(self):
        self.assert_rewrite(
            """
            import random
            class Node:
                __slots__ = ('value',)
                def __init__(self, value):
                    self.value = value
            class Model:
                def __init__(self):
                    self.nodes = [Node(1), Node(2)]
                    self.total = 0
                def step(self):
                    self.total += sum(n.value for n in self.nodes)
            random.answer = 42
            m = Model()
            m.step()
            print(m.total, random.answer)
            """,
            """
            import random
            class Node:
                def __init__(self, value):
                    self.value = value
            class Model:
                def __init__(self):
                    self.nodes = [Node(1), Node(2)]
                    self.total = 0
                def step(self):
                    self.total += sum(n.value for n in self.nodes)
            random.answer = 42
            m = Model()
            m.step()
            print(m.total, random.answer)
            """,
        )

    def test_only_the_qualifying_class_loses_its_slots(self):
        self.assert_rewrite(
            """
            class A:
                __slots__ = ('x',)
                def __init__(self): self.x = 1
            class B:
                __slots__ = ('y',)
            class C(B):
                __slots__ = ()
            print(A().x, isinstance(C(), B))
            """,
            """
            class A:
                def __init__(self): self.x = 1
            class B:
                __slots__ = ('y',)
            class C(B):
                __slots__ = ()
            print(A().x, isinstance(C(), B))
            """,
        )

    def test_static_method_read_through_the_class(self):
        self.assert_rewrite(
            """
            class Value:
                __slots__ = ('data',)
                def __init__(self, data): self.data = data
                @staticmethod
                def wrap(x): return x if isinstance(x, Value) else Value(x)
            print(Value.wrap(3).data, Value.wrap(Value(4)).data)
            """,
            """
            class Value:
                def __init__(self, data): self.data = data
                @staticmethod
                def wrap(x): return x if isinstance(x, Value) else Value(x)
            print(Value.wrap(3).data, Value.wrap(Value(4)).data)
            """,
        )

    # -- left alone -------------------------------------------------------------------------

    @pytest.mark.parametrize(
        "program",
        [
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                p = P()
                try:
                    p.y = 1
                except AttributeError:
                    print('slots refused y')
                """,
                id="store-of-a-name-the-slots-lack",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                def tag(thing):
                    thing.label = 'tagged'
                try:
                    tag(P())
                except AttributeError:
                    print('refused')
                """,
                id="store-on-an-object-of-unknown-class",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                class Q:
                    def put(self, other):
                        other.y = 2
                try:
                    Q().put(P())
                except AttributeError:
                    print('refused')
                """,
                id="store-on-a-non-first-parameter",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                print(hasattr(P(), '__dict__'))
                """,
                id="dunder-in-a-string",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                print(P.__slots__)
                """,
                id="slots-read",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                print(vars(P()) if False else len(dir(P())) > 0)
                """,
                id="vars-and-dir",
            ),
            pytest.param(
                """
                import sys
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                print(sys.getsizeof(P()) > 0)
                """,
                id="size-probe",
            ),
            pytest.param(
                """
                import weakref
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                try:
                    weakref.ref(P())
                except TypeError:
                    print('no weak references')
                """,
                id="weak-reference",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                class Q(P):
                    pass
                print(Q().x)
                """,
                id="subclassed",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                setattr(P(), 'x', 2)
                print('set')
                """,
                id="setattr",
            ),
            pytest.param(
                """
                names = ('x',)
                class P:
                    __slots__ = names
                    def __init__(self): self.x = 1
                print(P().x)
                """,
                id="slots-not-a-display",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x', '__dict__')
                    def __init__(self): self.x = 1
                print(P().x)
                """,
                id="dict-slot",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                print(P.x is not None)
                """,
                id="slot-read-on-the-class",
            ),
            pytest.param(
                """
                class P:
                    __slots__ = ('x',)
                    def __init__(self): self.x = 1
                p = P()
                P.x = 2
                print('stored')
                """,
                id="class-attribute-stored",
            ),
        ],
    )
    def test_noop(self, program):
        self.assert_noop(program)

    def test_program_without_slots_is_declined(self):
        self.assert_noop("class P:\n    x = 1\nprint(P.x)\n", reason="no class declares __slots__")


def test_example_round_trips():
    before, after = PASS.example
    assert PASS.run(before) == after
