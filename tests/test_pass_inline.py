"""Inlining of single-use variables and tiny functions: before/after pairs that must print the same."""

from __future__ import annotations

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.inline import InlinePass
from tests.support import PassTest
from tests.test_trace import assert_microgpt_output_kept, microgpt_source

PASS = InlinePass()


class TestInline(PassTest):
    golf_pass = PASS

    def test_chain_of_definitions_keeps_their_order(self):
        # zip's arguments are evaluated left to right: token_row before position_row, as before.
        self.assert_rewrite(
            """
            weights = {"a": [1, 2], "b": [3, 4]}
            def embed(token, position):
                token_row = weights[token]
                position_row = weights[position]
                return [t + p for t, p in zip(token_row, position_row)]
            print(embed("a", "b"))
            """,
            """
            weights = {"a": [1, 2], "b": [3, 4]}
            def embed(token, position):
                return [t + p for t, p in zip(weights[token], weights[position])]
            print(embed("a", "b"))
            """,
        )

    def test_swapped_uses_would_reorder_so_only_the_last_goes(self):
        self.assert_rewrite(
            """
            def f():
                a = print("first") or 1
                b = print("second") or 2
                return (b, a)
            print(f())
            """,
            """
            def f():
                a = print("first") or 1
                return (print("second") or 2, a)
            print(f())
            """,
        )

    def test_nested_chain(self):
        self.assert_rewrite(
            """
            def f(values):
                losses = []
                for v in values:
                    doubled = [2 * v]
                    total = sum(doubled)
                    losses.append(-total)
                return losses
            print(f([1, 2]))
            """,
            """
            def f(values):
                losses = []
                for v in values:
                    losses.append(-sum([2 * v]))
                return losses
            print(f([1, 2]))
            """,
        )

    def test_first_iterator_of_a_comprehension_is_evaluated_once(self):
        self.assert_rewrite(
            """
            def make():
                print("made")
                return [1, 2, 3]
            rows = make()
            print([r * 2 for r in rows])
            """,
            """
            def make():
                print("made")
                return [1, 2, 3]
            print([r * 2 for r in make()])
            """,
        )

    def test_comprehension_body_and_inner_iterators_run_repeatedly(self):
        self.assert_noop(
            """
            def make():
                print("made")
                return 2
            scale = make()
            print([r * scale for r in range(3)])
            inner = make()
            print([x for r in range(2) for x in range(inner)])
            """,
        )

    def test_loops_lambdas_and_functions_keep_the_variable(self):
        self.assert_noop(
            """
            def f(items):
                factor = len(items)
                for item in items:
                    print(item * factor)
                offset = len(items)
                g = lambda x: x + offset
                limit = len(items)
                while limit > 3:
                    limit = 0
                return g(1)
            print(f([1, 2]))
            """,
        )

    def test_short_circuit_and_conditional_operands_keep_the_variable(self):
        self.assert_noop(
            """
            def f(flag):
                value = print("evaluated") or 1
                return flag and value
            def g(flag):
                value = print("evaluated") or 1
                return value if flag else 0
            print(f(False), g(False))
            """,
        )

    def test_unknown_work_before_the_use_blocks_inlining(self):
        # The attribute lookup and the call run before ``value`` is read; they could see its effects.
        self.assert_noop(
            """
            class Sink:
                def __init__(self):
                    self.items = []
                def add(self, x):
                    self.items.append(x)
            sink = Sink()
            def f():
                value = print("value") or 1
                sink.add(len(sink.items) + value)
            f()
            print(sink.items)
            """,
        )

    def test_bound_method_of_a_builtin_list_is_an_atom(self):
        self.assert_rewrite(
            """
            def f():
                out = []
                part = [1, 2]
                out.extend(part)
                return out
            print(f())
            """,
            """
            def f():
                out = []
                out.extend([1, 2])
                return out
            print(f())
            """,
        )

    def test_with_block_exit_is_not_crossed(self):
        self.assert_rewrite(
            """
            import io
            with io.StringIO("a\\nb") as handle:
                text = handle.read()
            lines = text.split()
            print(lines)
            """,
            """
            import io
            with io.StringIO("a\\nb") as handle:
                text = handle.read()
            print(text.split())
            """,
        )

    def test_walrus_in_comprehension_binds_in_the_function(self):
        # libcst files ``total :=`` under the comprehension; Python rebinds the function's ``total``.
        self.assert_noop(
            """
            def f(data):
                total = 0
                values = [(total := total + x) for x in data]
                return total, values
            print(f([1, 2, 3]))
            """,
        )

    def test_default_argument_is_evaluated_once_at_def_time(self):
        # Moving ``start`` into the default would be safe, but defs are not modelled: it stays.
        self.assert_noop(
            """
            start = len("abc")
            def f(x=start):
                return x
            print(f(), f(1))
            """,
        )

    def test_variable_rebound_elsewhere_is_paired_with_its_definition(self):
        self.assert_rewrite(
            """
            for step in range(2):
                logits = [step, step + 1]
                best = max(logits)
                print(best)
            logits = [5]
            print(sum(logits))
            """,
            """
            for step in range(2):
                print(max([step, step + 1]))
            print(sum([5]))
            """,
        )

    def test_read_reached_from_two_definitions_stays(self):
        self.assert_noop(
            """
            def f(flag):
                x = 1
                if flag:
                    x = 2
                return x
            print(f(True), f(False))
            """,
        )

    def test_precedence_is_respected(self):
        self.assert_rewrite(
            """
            def f(a, b):
                s = a + b
                return s * 2
            print(f(1, 2))
            """,
            """
            def f(a, b):
                return (a + b) * 2
            print(f(1, 2))
            """,
        )

    def test_fstring_field_gets_only_quote_free_expressions(self):
        self.assert_rewrite(
            """
            def f(a):
                n = a + 1
                print(f"{n:>4}")
                s = str(a) + "!"
                print(f"{s}")
                t = str(a) + "?"
                print(f"{t * 2}")
            f(3)
            """,
            """
            def f(a):
                print(f"{a + 1:>4}")
                s = str(a) + "!"
                print(f"{s}")
                t = str(a) + "?"
                print(f"{t * 2}")
            f(3)
            """,
        )

    def test_tiny_function_is_inlined_at_every_call(self):
        self.assert_rewrite(
            """
            def square(x):
                return x * x
            value = 10
            print(square(value) + 1, square(3), -square(-2), value)
            """,
            """
            value = 10
            print(value * value + 1, 3 * 3, -(-2 * -2), value)
            """,
        )

    def test_tiny_function_refused_where_it_would_change_meaning(self):
        # Recursive; called with a computed argument; captured name; free name shadowed at the call.
        self.assert_noop(
            """
            def fact(n):
                return 1 if n < 2 else n * fact(n - 1)
            def twice(x):
                return x + x
            def scaled(x):
                return x * scale
            def caller():
                scale = 100
                return scaled(2)
            scale = 3
            print(fact(4), twice(len("ab")), caller())
            """,
        )

    def test_names_reached_through_strings_freeze_everything(self):
        self.assert_noop(
            """
            value = len("abc")
            print(value, eval("value"))
            """,
            reason="reaches names through strings",
        )


def test_sites_are_independent_of_the_enabled_subset():
    source = "def f():\n    a = [1]\n    b = [2]\n    return a + b\nprint(f())\n"
    edits = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), edits) == source
    assert edits.count == 2
    # Inlining ``a`` alone would move it past ``b``'s definition: it waits for ``b``.
    assert PASS.apply(source, PassContext(), Edits(allowed={0})) == source
    assert PASS.apply(source, PassContext(), Edits(allowed={1})) == "def f():\n    a = [1]\n    return a + [2]\nprint(f())\n"
    assert PASS.run(source) == "def f():\n    return [1] + [2]\nprint(f())\n"


def test_microgpt_keeps_its_output():
    before = microgpt_source()
    after = PASS.run(before)
    assert "token_row" not in after and "mean_square" not in after
    assert_microgpt_output_kept(before, after)
