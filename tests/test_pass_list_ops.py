"""list-ops: before/after pairs that must print the same, and the cases it must leave alone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.list_ops import ListOpsPass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = ListOpsPass()


class TestListOps(PassTest):
    golf_pass = PASS

    def test_append_and_extend_on_own_lists(self):
        self.assert_rewrite(
            """
            def collect(items):
                out = []
                for item in items:
                    out.append(item * 2)
                    out.extend(str(i) for i in range(item))
                    out.append((item, item))
                    out.extend([item] * 2)
                return out
            names = [n for n in "ab"]
            names.append("c"); names.append(len(names))
            print(collect([1, 2]), names)
            """,
            """
            def collect(items):
                out = []
                for item in items:
                    out+=item * 2,
                    out+=(str(i) for i in range(item))
                    out+=(item, item),
                    out+=[item] * 2
                return out
            names = [n for n in "ab"]
            names+="c",; names+=len(names),
            print(collect([1, 2]), names)
            """,
        )

    def test_walrus_and_conditional_arguments_keep_their_meaning(self):
        self.assert_rewrite(
            """
            out = []
            out.append(n := 3)
            out.append(1 if n else 2)
            out.append(lambda: n)
            print(out[:2], out[2](), n)
            """,
            """
            out = []
            out+=(n := 3),
            out+=1 if n else 2,
            out+=lambda: n,
            print(out[:2], out[2](), n)
            """,
        )

    def test_names_that_may_not_be_lists_or_belong_elsewhere_are_left_alone(self):
        self.assert_noop(
            """
            import collections
            seen = set()
            queue = collections.deque()
            log = []
            def note(x, into=[]):
                into.append(x)          # a parameter: any object
                log.append(x)           # a global read from a function: `+=` would make it local
                queue.append(x)
            note(1)
            def closure():
                kept = []
                def add(x):
                    kept.append(x)      # a cell of the enclosing function
                add(2)
                return kept
            class Box:
                items = []
                items.append(1)         # class bodies are left alone
            other = []
            other = tuple(other)
            other_list = list(other)
            other_list.append(3)        # bound by a call: a list here, but not provably
            maybe = [] if note else ()
            result = []
            result.append(1, ) if False else None
            print(log, list(queue), closure(), Box.items, other_list, maybe, result, note.__defaults__)
            """,
        )

    def test_programs_that_reach_names_through_strings_are_left_alone(self):
        self.assert_noop(
            """
            out = []
            out.append(1)
            print(eval("out"))
            """,
            reason="reaches names through strings",
        )

    def test_nonlocal_rebinding_blocks_the_rewrite(self):
        self.assert_noop(
            """
            def outer():
                out = []
                def reset():
                    nonlocal out
                    out = ()
                out.append(1)
                reset()
                return out
            print(outer())
            """,
        )


def test_sites_are_numbered_in_source_order():
    source = dedent(
        """
        out = []
        out.append(1)
        out.append(2)
        print(out)
        """
    )
    second_only = PASS.apply(source, PassContext(), Edits({1}))
    assert second_only == source.replace("out.append(2)", "out+=2,")
    assert_same_behaviour(source, second_only)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["append", "extend"]), st.integers(-3, 3)), min_size=1, max_size=6))
def test_property_random_append_extend_sequences_print_the_same(operations):
    lines = ["xs = []"]
    for method, value in operations:
        argument = value if method == "append" else f"range({value})"
        lines.append(f"xs.{method}({argument})")
    lines.append("print(xs)")
    source = "\n".join(lines) + "\n"
    output = PASS.run(source)
    assert ".append" not in output and ".extend" not in output
    namespace_before, namespace_after = {}, {}
    exec(compile(source, "<before>", "exec"), {"print": lambda v: namespace_before.setdefault("out", v)})
    exec(compile(output, "<after>", "exec"), {"print": lambda v: namespace_after.setdefault("out", v)})
    assert namespace_before == namespace_after
