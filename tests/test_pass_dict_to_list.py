"""Dict-to-list: before/after pairs that must print the same, and dicts that must stay dicts."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.base import Edits, PassContext
from golfkit.passes.dict_to_list import DictToListPass
from tests.support import PassTest, assert_same_behaviour, dedent

PASS = DictToListPass()

STATE_DICT = """
def matrix(rows, columns):
    return [[rows * 10 + columns + i for i in range(columns)] for _ in range(rows)]
vocab, n, block = 3, 2, 4
state_dict = {'wte': matrix(vocab, n), 'wpe': matrix(block, n), 'lm_head': matrix(vocab, n)}
state_dict['layer0.attn_wq'] = matrix(n, n)
state_dict['layer0.attn_wk'] = matrix(n, n)
params = [p for mat in state_dict.values() for row in mat for p in row]
def gpt(token_id):
    x = state_dict['wte'][token_id]
    q = [sum(a * b for a, b in zip(row, x)) for row in state_dict['layer0.attn_wq']]
    return q + state_dict['lm_head'][0] + state_dict['layer0.attn_wk'][1]
print(len(params), sum(params), gpt(1), len(state_dict))
"""


# --- refusals ------------------------------------------------------------------------------------

NO_OPS = {
    "computed key": """
        colors = {"red": 1, "blue": 2}
        name = "re" + "d" if len("ab") == 2 else "blue"
        print(colors[name], colors["blue"])
        """,
    "dict printed": """
        colors = {"red": 1, "blue": 2}
        print(colors, colors["red"])
        """,
    "items": """
        colors = {"red": 1, "blue": 2}
        print(list(colors.items()), colors["red"])
        """,
    "keys": """
        colors = {"red": 1, "blue": 2}
        print(list(colors.keys()), colors["red"])
        """,
    "iterated itself": """
        colors = {"red": 1, "blue": 2}
        print([c for c in colors], colors["red"])
        """,
    "in test": """
        colors = {"red": 1, "blue": 2}
        print("red" in colors, colors["red"])
        """,
    "get": """
        colors = {"red": 1, "blue": 2}
        print(colors.get("red"), colors["red"])
        """,
    "missing key": """
        colors = {"red": 1, "blue": 2}
        try:
            print(colors["green"])
        except KeyError as error:
            print("missing", error)
        print(colors["red"])
        """,
    "equal keys": """
        flags = {1: "one", True: "true", 2: "two"}
        print(flags[1], flags[2], len(flags))
        """,
    "store to an existing key": """
        colors = {"red": 1, "blue": 2}
        colors["red"] = 3
        print(colors["red"], colors["blue"])
        """,
    "store inside an if": """
        colors = {"red": 1, "blue": 2}
        if len("ab") == 2:
            colors["green"] = 3
        print(colors["red"], colors["green"])
        """,
    "store after a statement with effects": """
        colors = {"red": 1}
        print("between")
        colors["blue"] = print("value") or 2
        print(colors["red"], colors["blue"])
        """,
    "store augmented": """
        colors = {"red": 1, "blue": 2}
        colors["red"] += 5
        print(colors["red"], colors["blue"])
        """,
    "del of a key": """
        colors = {"red": 1, "blue": 2}
        del colors["red"]
        print(len(colors), colors["blue"])
        """,
    "rebound": """
        colors = {"red": 1, "blue": 2}
        print(colors["red"])
        colors = {"red": 5, "blue": 6}
        print(colors["red"])
        """,
    "global declaration": """
        colors = {"red": 1, "blue": 2}
        def read():
            global colors
            return colors["red"]
        print(read(), colors["blue"])
        """,
    "eval anywhere": """
        colors = {"red": 1, "blue": 2}
        print(colors["red"], eval("1 + 1"))
        """,
    "getattr anywhere": """
        colors = {"red": 1, "blue": 2}
        print(colors["red"], getattr("x", "upper")())
        """,
    "max with two arguments": """
        colors = {"red": 1, "blue": 2}
        try:
            print(max(colors.values(), [5]))
        except TypeError:
            print("no order")
        print(colors["red"])
        """,
    "debug f-string": """
        colors = {"red": 1, "blue": 2}
        print(f"{colors['red']=}", colors["blue"])
        """,
    "function defined before the stores": """
        colors = {"red": 1}
        def show():
            return colors["red"] + len(colors)
        colors["blue"] = show()
        print(show(), colors["blue"])
        """,
    "lambda inside a store": """
        colors = {"red": 1}
        colors["blue"] = lambda: colors["red"]
        print(colors["blue"](), colors["red"])
        """,
    "store reads the dict": """
        colors = {"red": 1}
        colors["blue"] = colors["red"] + 1
        print(colors["blue"], colors["red"])
        """,
    "stores in a loop": """
        for step in range(2):
            colors = {"red": step}
            colors["blue"] = step * 2
            print(colors["red"], colors["blue"])
        """,
    "store that raises inside try": """
        try:
            colors = {"red": 1}
            colors["blue"] = 1 // 0
        except ZeroDivisionError:
            print(colors["red"])
        """,
    "intermediate name read by a function": """
        def scale():
            return factor * 2
        colors = {"red": 1}
        factor = 3
        colors["blue"] = scale()
        print(colors["red"], colors["blue"])
        """,
    "walrus in a store rebinds a name bound between": """
        colors = {"red": 1}
        shade = 0
        colors["blue"] = (shade := 5)
        print(colors["red"], colors["blue"], shade)
        """,
    "store reads a name bound between": """
        colors = {"red": 1}
        shade = 0
        colors["blue"] = shade + 1
        print(colors["red"], colors["blue"], shade)
        """,
    "store key bound between": """
        colors = {"red": 1}
        KEY = "blue"
        colors[KEY] = 2
        print(colors["red"], colors[KEY], KEY)
        """,
    "builtin name": """
        list = {"red": 1, "blue": 2}
        print(list["red"])
        """,
}


def test_unparsable_source_is_returned_unchanged():
    assert PASS.run("x = {'a': 1\n") == "x = {'a': 1\n"


class TestDictToList(PassTest):
    golf_pass = PASS

    def test_state_dict_merges_and_becomes_a_list(self):
        self.assert_rewrite(
            STATE_DICT,
            """
            def matrix(rows, columns):
                return [[rows * 10 + columns + i for i in range(columns)] for _ in range(rows)]
            vocab, n, block = 3, 2, 4
            state_dict = [matrix(vocab, n), matrix(block, n), matrix(vocab, n), matrix(n, n), matrix(n, n)]
            params = [p for mat in state_dict for row in mat for p in row]
            def gpt(token_id):
                x = state_dict[0][token_id]
                q = [sum(a * b for a, b in zip(row, x)) for row in state_dict[3]]
                return q + state_dict[2][0] + state_dict[4][1]
            print(len(params), sum(params), gpt(1), len(state_dict))
            """,
        )

    def test_multiline_display_keeps_its_layout(self):
        self.assert_rewrite(
            """
            weights = {
                "token": [1, 2],
                "position": [3, 4],
            }
            layer = 0
            weights["layer0.query"] = [5, 6]
            weights["layer0.key"] = [7, 8]
            print([w for matrix in weights.values() for w in matrix], weights["layer0.key"])
            """,
            """
            weights = [
                [1, 2],
                [3, 4],
                [5, 6],
                [7, 8],
            ]
            layer = 0
            print([w for matrix in weights for w in matrix], weights[3])
            """,
        )

    def test_keys_given_by_names_bound_to_strings(self):
        self.assert_rewrite(
            """
            TOKEN = 'token_embedding'
            HEAD = 'output' '_head'
            table = {TOKEN: 10, HEAD: 20, f'bias': 30}
            def read():
                return table[TOKEN] + table[HEAD] * table['bias'] + table[f'output_head']
            print(read(), table[TOKEN], TOKEN)
            """,
            """
            TOKEN = 'token_embedding'
            HEAD = 'output' '_head'
            table = [10, 20, 30]
            def read():
                return table[0] + table[1] * table[2] + table[1]
            print(read(), table[0], TOKEN)
            """,
        )

    def test_function_local_dict(self):
        self.assert_rewrite(
            """
            def scores(bonus):
                points = {"alice": 3 + bonus, "bob": 5}
                points["carol"] = 8 - bonus
                ranked = sorted(points.values())
                return points["bob"], ranked, len(points), (lambda: points["carol"])()
            print(scores(1), scores(2))
            """,
            """
            def scores(bonus):
                points = [3 + bonus, 5, 8 - bonus]
                ranked = sorted(points)
                return points[1], ranked, len(points), (lambda: points[2])()
            print(scores(1), scores(2))
            """,
        )

    def test_iterating_builtins_and_star_unpacking(self):
        self.assert_rewrite(
            """
            names = {"first": "ada", "last": "lovelace"}
            print(*names.values(), "-".join(names.values()), list(names.values()), max(names.values()))
            print([n for n in names.values()if n], list(zip(names.values(), range(2))), names["last"])
            """,
            """
            names = ["ada", "lovelace"]
            print(*names, "-".join(names), list(names), max(names))
            print([n for n in names if n], list(zip(names, range(2))), names[1])
            """,
        )

    def test_store_value_that_is_a_tuple_gets_parentheses(self):
        self.assert_rewrite(
            """
            shapes = {"square": (2, 2)}
            shapes["line"] = 1, 5
            print(shapes["line"], shapes["square"])
            """,
            """
            shapes = [(2, 2), (1, 5)]
            print(shapes[1], shapes[0])
            """,
        )

    def test_stores_on_one_line_numeric_keys_and_reads_in_moved_values(self):
        # ``2.0`` and ``True`` find the entries stored under ``2`` and ``1``; the second dict's stored
        # value reads the first dict, which is converted too.
        self.assert_rewrite(
            """
            sizes = {}; sizes[0] = 'a'; sizes[1] = 'b'
            sizes[2] = 'c'
            def unit():
                return 'x'
            labels = {'first': sizes[2.0]}
            labels['second'] = sizes[True] + unit()
            print(labels['second'], labels['first'], sizes[0])
            """,
            """
            sizes = ['a', 'b', 'c']
            def unit():
                return 'x'
            labels = [sizes[2], sizes[1] + unit()]
            print(labels[1], labels[0], sizes[0])
            """,
        )

    def test_class_body_and_method_read_a_module_dict(self):
        self.assert_rewrite(
            """
            sizes = {"small": 1, "large": 9}
            class Box:
                volume = sizes["large"] * 2
                def small(self):
                    return sizes["small"]
            print(Box.volume, Box().small())
            """,
            """
            sizes = [1, 9]
            class Box:
                volume = sizes[1] * 2
                def small(self):
                    return sizes[0]
            print(Box.volume, Box().small())
            """,
        )

    def test_dict_in_a_class_body_stays(self):
        # A class-level dict is also an attribute: ``Box.sizes`` could be read from anywhere.
        self.assert_noop(
            """
            class Box:
                sizes = {"small": 1, "large": 9}
                volume = sizes["large"] * 2
            print(Box.volume, Box.sizes)
            """,
        )

    def test_function_defined_before_the_display_may_read_a_converted_dict(self):
        # No stores: nothing is reordered, so when the function runs does not matter.
        self.assert_rewrite(
            """
            def show():
                return colors["red"]
            colors = {"red": 1, "blue": 2}
            print(show(), colors["blue"])
            """,
            """
            def show():
                return colors[0]
            colors = [1, 2]
            print(show(), colors[1])
            """,
        )

    @pytest.mark.parametrize("label", NO_OPS)
    def test_refusals(self, label):
        self.assert_noop(NO_OPS[label])

    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            pytest.param('colors = {"red": 1}\nprint(colors["red"], eval("1 + 1"))\n',
                         "through strings", id="eval"),
            pytest.param('colors = {"red": 1}\nprint(colors["red"], getattr("x", "upper")())\n',
                         "through strings", id="getattr"),
            pytest.param('import gc\ncolors = {"red": 1}\nprint(colors["red"], gc.isenabled())\n',
                         "without their names", id="gc"),
            pytest.param('import sys\ncolors = {"red": 1}\nprint(colors["red"], sys._getframe().f_lineno)\n',
                         "without their names", id="frames"),
        ],
    )
    def test_declines_the_whole_program(self, source, reason):
        self.assert_noop(source, reason=reason)

    def test_conversion_only_when_shorter(self):
        # Eleven one-letter keys save 22 characters; 23 reads of the last one cost one each.
        letters = "abcdefghijk"
        source = "".join(f"{c} = '{c}'\n" for c in letters)
        source += "table = {" + ", ".join(f"{c}: {i}" for i, c in enumerate(letters)) + "}\n"
        source += "print(" + ", ".join(["table[k]"] * 23) + ")\n"
        self.assert_noop(source)
        shorter = source.replace(", ".join(["table[k]"] * 23), ", ".join(["table[k]"] * 3))
        assert "table = [0, 1" in PASS.run(shorter)


# --- sites -----------------------------------------------------------------------------------------


def test_sites_are_numbered_merges_first_then_the_conversion():
    source = dedent(STATE_DICT)
    edits = Edits(allowed=set())
    assert PASS.apply(source, PassContext(), edits) == source
    assert edits.count == 3  # two merges, one conversion

    merges_only = PASS.apply(source, PassContext(), Edits(allowed={0, 1}))
    assert "'layer0.attn_wk': matrix(n, n)}" in merges_only and ".values()" in merges_only
    assert "state_dict[0]" not in merges_only  # still a dict
    assert_same_behaviour(source, merges_only)

    first_merge = PASS.apply(source, PassContext(), Edits(allowed={0}))
    assert "'layer0.attn_wq': matrix(n, n)}" in first_merge
    assert "state_dict['layer0.attn_wk'] = matrix(n, n)" in first_merge
    assert_same_behaviour(source, first_merge)

    # The second merge alone would put its key before the first store's: it waits for the first.
    assert PASS.apply(source, PassContext(), Edits(allowed={1})) == source
    # The conversion needs every store merged first.
    assert PASS.apply(source, PassContext(), Edits(allowed={0, 2})) == first_merge
    assert PASS.apply(source, PassContext(), Edits(allowed={0, 1, 2})) == PASS.run(source)


def test_sites_of_two_dicts_in_source_order():
    source = dedent(
        """
        a = {"x": 1}
        b = {"y": 2}
        b["z"] = 3
        print(a["x"], b["y"], b["z"])
        """
    )
    edits = Edits(allowed=set())
    PASS.apply(source, PassContext(), edits)
    assert edits.count == 3  # a: conversion; b: merge, conversion
    assert PASS.apply(source, PassContext(), Edits(allowed={0})) == source.replace('{"x": 1}', "[1]").replace(
        'a["x"]', "a[0]"
    )
    only_b = PASS.apply(source, PassContext(), Edits(allowed={1, 2}))
    assert only_b == 'a = {"x": 1}\nb = [2, 3]\nprint(a["x"], b[0], b[1])\n'
    assert_same_behaviour(source, only_b)


# --- property: reads, iteration and length stay the same ----------------------------------------

_keys = st.lists(
    st.one_of(st.sampled_from(["'a'", "'bc'", '"d_e"', "'f'", "b'g'", "'h' 'i'"]), st.integers(-3, 12).map(str)),
    min_size=1,
    max_size=6,
    unique_by=lambda text: repr(eval(text)),
)


@st.composite
def _programs(draw):
    keys = draw(_keys)
    split = draw(st.integers(0, len(keys)))
    values = [str(draw(st.integers(-50, 50))) for _ in keys]
    entries = ", ".join(f"{k}: {v}" for k, v in zip(keys[:split], values[:split]))
    lines = [f"D = {{{entries}}}"]
    lines += [f"D[{k}] = {v}" for k, v in zip(keys[split:], values[split:])]
    reads = draw(st.lists(st.sampled_from(keys), max_size=8))
    lines.append(f"print({', '.join(f'D[{k}]' for k in reads)})")
    lines.append("print(len(D), list(D.values()), sum(D.values()), [v * 2 for v in D.values()])")
    return "\n".join(lines) + "\n"


def _printed(program: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        exec(program, {})
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_programs())
def test_conversion_matches_the_dict(program):
    rewritten = PASS.run(program)
    compile(rewritten, "<rewritten>", "exec")
    assert len(rewritten) <= len(program)
    assert rewritten.startswith("D = [")  # every key, stored or displayed, is constant and new
    assert _printed(rewritten) == _printed(program), rewritten
