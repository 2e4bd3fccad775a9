"""unroll: before/after pairs that must print the same, what must stay a loop, site numbering,
and a property over random ranges."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes import unroll
from golfkit.passes.unroll import UnrollPass
from tests.support import PassTest, dedent

PASS = UnrollPass()


class TestUnroll(PassTest):
    golf_pass = PASS

    # --- loops ----------------------------------------------------------------------------------------
    def test_range_one_loop_becomes_its_body(self):
        self.assert_rewrite(
            """
            total = 0
            for i in range(1):
                total += i + 1
                print(total)
            print(i, total)
            """,
            """
            total = 0
            i = 0
            total += i + 1
            print(total)
            print(i, total)
            """,
        )

    def test_range_with_start_stop_step_and_comments_in_a_function(self):
        self.assert_rewrite(
            """
            def show():
                # one layer only
                for layer in range(2, 3):  # the header comment stays on the line
                    print(f"layer{layer}")
                    # the body's last comment
                for k in range(0, 5, 10):
                    print(k)
                for n in range(-3, -4, -1):
                    print(n)
                print("done")
            show()
            """,
            """
            def show():
                # one layer only
                layer = 2  # the header comment stays on the line
                print(f"layer{layer}")
                # the body's last comment
                k = 0
                print(k)
                n = -3
                print(n)
                print("done")
            show()
            """,
        )

    def test_one_element_tuple_and_list(self):
        self.assert_rewrite(
            """
            for a, b in [(1, 2)]: print(a); print(b)
            for c in ("x",):
                print(c * 3)
            for item in [dict(k=1)]:
                item["k"] += 1
                print(item)
            for d in [y := 4]:
                print(d, y)
            """,
            """
            a, b = (1, 2); print(a); print(b)
            c = "x"
            print(c * 3)
            item = dict(k=1)
            item["k"] += 1
            print(item)
            d = (y := 4)
            print(d, y)
            """,
        )

    def test_nested_loop_keeps_its_own_break(self):
        self.assert_rewrite(
            """
            for outer in range(1):
                for inner in range(5):
                    if inner == 2:
                        break
                    print(outer, inner)
                while True:
                    break
                def f():
                    for q in range(3):
                        continue
                    return q
                print(f())
            """,
            """
            outer = 0
            for inner in range(5):
                if inner == 2:
                    break
                print(outer, inner)
            while True:
                break
            def f():
                for q in range(3):
                    continue
                return q
            print(f())
            """,
        )

    def test_own_break_or_continue_blocks(self):
        self.assert_rewrite(
            """
            for i in range(1):
                if i == 0:
                    break
                print("never")
            for j in [1]:
                try:
                    continue
                finally:
                    print("finally")
            for a in range(3):
                for b in range(1):
                    print(a, b)
                else:
                    continue
            """,
            # The inner loop unrolls; its else's continue belongs to the outer loop.
            """
            for i in range(1):
                if i == 0:
                    break
                print("never")
            for j in [1]:
                try:
                    continue
                finally:
                    print("finally")
            for a in range(3):
                b = 0
                print(a, b)
                continue
            """,
        )

    def test_break_in_an_inner_loops_else_belongs_to_this_loop(self):
        self.assert_noop(
            """
            for a in range(1):
                while False:
                    pass
                else:
                    break
                print("never")
            print("end")
            """,
        )

    def test_else_body_is_appended(self):
        self.assert_rewrite(
            """
            def search():
                for x in range(1):
                    print("body", x)
                else:  # always runs: nothing breaks
                    print("else", x)
                for y in [2]: print(y)
                else: print("second else")
            search()
            """,
            """
            def search():
                x = 0
                print("body", x)
                # always runs: nothing breaks
                print("else", x)
                y = 2; print(y)
                print("second else")
            search()
            """,
        )

    def test_range_defined_by_the_program_is_not_the_builtin(self):
        self.assert_noop(
            """
            def range(n):
                return [n, n + 1]
            for i in range(1):
                print(i)
            print([k for k in range(1)])
            """,
        )

    def test_range_bound_in_another_scope_blocks(self):
        self.assert_noop(
            """
            def f(range=list):
                return range("ab")
            for i in range(1):
                print(i, f())
            """,
        )

    def test_range_rebound_through_builtins_blocks(self):
        self.assert_noop(
            """
            import builtins
            builtins.range = lambda *args: [7, 8]
            for i in range(1):
                print(i)
            """,
        )

    def test_globals_use_blocks_range_loops_only(self):
        self.assert_rewrite(
            """
            globals()["range"] = lambda *args: "ab"
            for i in range(1):
                print(i)
            print([[] for _ in range(1)])
            for c in ["c"]:
                print(c)
            """,
            """
            globals()["range"] = lambda *args: "ab"
            for i in range(1):
                print(i)
            print([[] for _ in range(1)])
            c = "c"
            print(c)
            """,
        )

    def test_more_or_fewer_iterations_stay(self):
        self.assert_noop(
            """
            for i in range(2):
                print(i)
            for j in range(5, 0):
                print(j)
            for k in [1, 2]:
                print(k)
            for s in [*"a"]:
                print(s)
            for t in range(1.0 and 1):
                print(t)
            try:
                for z in range(0, 1, 0):
                    print(z)
            except ValueError:
                print("zero step")
            print([[] for _ in range(2)])
            """,
        )

    def test_async_for_stays(self):
        self.assert_noop(
            """
            import asyncio
            class Once:
                def __aiter__(self):
                    self.done = False
                    return self
                async def __anext__(self):
                    if self.done:
                        raise StopAsyncIteration
                    self.done = True
                    return 1
            async def main():
                async for v in Once():
                    print(v)
                print([w async for w in Once()])
            asyncio.run(main())
            """,
        )

    def test_nested_unrolls_compose(self):
        self.assert_rewrite(
            """
            for a in range(1):
                for b in range(1):
                    print(a, b)
            if True:
                for c in (1,):
                    print(c)
            """,
            """
            a = 0
            b = 0
            print(a, b)
            if True:
                c = 1
                print(c)
            """,
        )

    # --- comprehensions -------------------------------------------------------------------------------
    def test_single_clause_comprehensions_become_displays(self):
        self.assert_rewrite(
            """
            key_cache = [[] for _ in range(1)]
            key_cache[0].append(1)
            print(key_cache, {() for _ in range(1)}, {"k": [] for _ in range(3, 4)})
            """,
            """
            key_cache = [[]]
            key_cache[0].append(1)
            print(key_cache, {()}, {"k": []})
            """,
        )

    def test_read_variable_becomes_the_literal(self):
        self.assert_rewrite(
            """
            print([i * 2 for i in range(3, 4)])
            print({k: k ** 2 for k in range(-2, -1)})
            print([(lambda: n)() for n in range(1)])
            print([(x).real for x in range(5, 6)])
            print([a + k for a in [1, 2] for k in range(-1, 0)])
            print([a for k in range(1) for a in [k, 2]])
            """,
            """
            print([3 * 2])
            print({-2: (-2) ** 2})
            print([(lambda: 0)()])
            print([(5).real])
            print([a + -1 for a in [1, 2]])
            print([a for a in [0, 2]])
            """,
        )

    def test_class_body_comprehension_keeps_its_first_clause(self):
        self.assert_rewrite(
            """
            class Table:
                size = 3
                rows = [[] for _ in range(1)]
                try:
                    cells = [y for _ in range(1) for y in size]
                except NameError:
                    cells = "size is invisible in there"
                grid = [r for r in "ab" for _ in range(1)]
            print(Table.rows, Table.cells, Table.grid)
            """,
            """
            class Table:
                size = 3
                rows = [[] for _ in range(1)]
                try:
                    cells = [y for _ in range(1) for y in size]
                except NameError:
                    cells = "size is invisible in there"
                grid = [r for r in "ab"]
            print(Table.rows, Table.cells, Table.grid)
            """,
        )

    def test_generator_expressions_keep_their_first_clause(self):
        self.assert_rewrite(
            """
            def source():
                print("evaluated")
                return [1, 2]
            lazy = (y for _ in range(1) for y in source())
            print("created")
            print(list(lazy), list(x for x in range(1)), list(z for z in "ab" for _ in range(1)))
            """,
            """
            def source():
                print("evaluated")
                return [1, 2]
            lazy = (y for _ in range(1) for y in source())
            print("created")
            print(list(lazy), list(x for x in range(1)), list(z for z in "ab"))
            """,
        )

    def test_walrus_await_and_debug_fields_stay(self):
        # Only the inner clause of the first await comprehension goes: its element stays inside.
        self.assert_rewrite(
            """
            values = [(last := 5) for _ in range(1)]
            print(values, last)
            print([f"{k=}" for k in range(1)])
            async def main():
                return [await v for v in [f()] for _ in range(1)], {await f() for _ in range(1)}
            async def f():
                return 2
            import asyncio
            print(asyncio.run(main()))
            """,
            """
            values = [(last := 5) for _ in range(1)]
            print(values, last)
            print([f"{k=}" for k in range(1)])
            async def main():
                return [await v for v in [f()]], {await f() for _ in range(1)}
            async def f():
                return 2
            import asyncio
            print(asyncio.run(main()))
            """,
        )

    def test_next_iterable_reading_a_comprehension_variable_stays(self):
        # ``y`` in the second iterable is the comprehension's own (unbound) variable, not the global.
        self.assert_noop(
            """
            y = [1, 2]
            try:
                print([y for _ in range(1) for y in y])
            except NameError as error:
                print(type(error).__name__)
            print([[] for _ in range(1) if _ == 0])
            """,
        )

    def test_first_clause_goes_when_the_next_iterable_can_move_out(self):
        self.assert_rewrite(
            """
            def pairs(words):
                return [w + str(k) for k in range(1) for w in words if w]
            print(pairs(["a", "", "b"]))
            """,
            """
            def pairs(words):
                return [w + str(0) for w in words if w]
            print(pairs(["a", "", "b"]))
            """,
        )

    def test_super_in_the_element_stays(self):
        self.assert_noop(
            """
            class Base:
                def name(self):
                    return "base"
            class Child(Base):
                def names(self):
                    try:
                        return [super().name() for _ in range(1)]
                    except (TypeError, RuntimeError):
                        return "no super in here"
            print(Child().names())
            """,
        )

    def test_range_of_a_name_bound_once_to_a_constant_unrolls(self):
        self.assert_rewrite(
            """
            num_layers = 1
            weights = {}
            for layer in range(num_layers):
                weights[f"layer{layer}"] = layer
            def show(a):
                for j in range(num_layers * 2 - 1):
                    print(j, a)
            show(3)
            print(weights, [k for _ in range(num_layers) for k in "ab"])
            """,
            """
            num_layers = 1
            weights = {}
            layer = 0
            weights[f"layer{layer}"] = layer
            def show(a):
                j = 0
                print(j, a)
            show(3)
            print(weights, [k for k in "ab"])
            """,
        )

    def test_range_of_a_name_that_may_be_unbound_stays(self):
        self.assert_noop(
            """
            try:
                for layer in range(later):
                    print(layer)
            except NameError:
                print("unbound")
            later = 1
            """,
        )

    def test_an_output_that_does_not_compile_is_declined(self, monkeypatch):
        # Stands for a rewrite CPython rejects though libcst prints it: the text stays as it is.
        source = "for i in range(1):\n    print(i)\n"
        monkeypatch.setattr(unroll, "_compiles", lambda text: text == source)
        self.assert_noop(source, reason="does not compile")


# --- sites ----------------------------------------------------------------------------------------


def test_sites_are_numbered_in_source_order_and_selectable():
    source = dedent(
        """
        for i in range(1):
            print(i)
        print([[] for _ in range(1)])
        """
    )
    edits = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), edits) == source
    assert edits.count == 2
    only_second = PASS.apply(source, PassContext(), Edits(allowed={1}))
    assert only_second == "for i in range(1):\n    print(i)\nprint([[]])\n"
    only_first = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert only_first == "i = 0\nprint(i)\nprint([[] for _ in range(1)])\n"


def test_clause_sites_compose_under_any_subset():
    source = "print([a + b for a in range(1) for b in range(2, 3)])\n"
    outputs = {frozenset(s): PASS.apply(source, PassContext(), Edits(allowed=s)) for s in ({0}, {1}, {0, 1})}
    assert outputs[frozenset({0})] == "print([0 + b for b in range(2, 3)])\n"
    assert outputs[frozenset({1})] == "print([a + 2 for a in range(1)])\n"
    assert outputs[frozenset({0, 1})] == "print([0 + 2])\n"
    for output in outputs.values():
        compile(output, "<unroll>", "exec")


def test_unparsable_source_is_returned():
    assert PASS.run("for i in range(1)\n") == "for i in range(1)\n"


# --- property: unrolls exactly the ranges of one value, and behaves the same ----------------------


def _outcome(program: str):
    printed = []
    try:
        exec(program, {"print": lambda *values: printed.append(values)})
    except Exception as error:  # noqa: BLE001 - the same failure must survive the rewrite
        return printed, type(error)
    return printed, None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(-4, 4), min_size=1, max_size=3))
def test_unrolls_exactly_one_value_ranges(arguments):
    spelled = ", ".join(map(str, arguments))
    program = (
        f"for i in range({spelled}):\n"
        f"    print('loop', i, i * 2)\n"
        f"else:\n"
        f"    print('else')\n"
        f"print([(k, -k) for k in range({spelled})], {{k for k in range({spelled})}})\n"
    )
    rewritten = PASS.run(program)
    compile(rewritten, "<rewritten>", "exec")
    assert len(rewritten) <= len(program)
    try:
        once = len(range(*arguments)) == 1
    except ValueError:
        once = False
    assert (rewritten != program) == once
    assert ("range" not in rewritten) == once
    assert _outcome(rewritten) == _outcome(program), rewritten
