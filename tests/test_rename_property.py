"""Property: for generated programs (templates filled with random identifiers), renaming keeps
stdout. Identifiers are drawn from a pool full of collisions: the short names renaming hands out,
builtins, and attribute names of builtin types."""

from __future__ import annotations

import builtins
import contextlib
import dis
import io
import types

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golfkit.passes.rename import RenamePass
from golfkit.passes.builtin_alias import BuiltinAliasPass
from tests.support import dedent

POOL = [
    "a", "b", "c", "d", "e", "x", "y", "k", "v", "A",
    "value", "data", "total", "count", "item", "node", "grad", "log", "exp", "step",
    "max", "min", "abs", "id", "type", "real", "index", "key", "items", "result", "f", "g",
]

TEMPLATES = {
    "functions": """
        {G1} = {N1}
        def {F1}({P1}, {P2}={N2}, *, {P3}=1):
            {L1} = [{C1} * {P2} for {C1} in range({P1})]
            def {F2}():
                nonlocal {L1}
                {L1} = {L1} + [{G1}]
                return len({L1})
            return {F2}() + {P3}, sum({L1})
        print({F1}({N3}), {F1}({N3}, {P2}=2), {F1}({P1}=2, {P3}={G1}))
    """,
    "class": """
        class {K1}:
            __slots__ = ("{A1}", "{A2}")
            def __init__(self, {P1}):
                self.{A1} = {P1}
                self.{A2} = [{P1}]
            def {M1}(self, {P2}):
                self.{A2}.append({P2})
                return self.{A1} + len(self.{A2})
            def __add__(self, {P3}):
                return {K1}(self.{A1} + {P3}.{A1})
        {G1} = {K1}({N1}) + {K1}({N2})
        print({G1}.{M1}({N3}), {G1}.{A1}, [{C1}.{A1} for {C1} in [{G1}, {K1}(1)]])
    """,
    "globals": """
        {G1} = 0
        def {F1}({P1}):
            global {G1}
            {G1} += {P1}
            {L1} = [{L2} := {C1} + {G1} for {C1} in range(3)]
            try:
                {L3} = {P1} // ({P1} - {P1})
            except ZeroDivisionError as {E1}:
                {L3} = str({E1})
                del {E1}
            return {L1}, {L2}, {L3}, f"{{{G1}}}-{{{P1}!r}}"
        print({F1}({N1}), {F1}({N2}), {G1})
    """,
    "class body": """
        {G1} = {N1}
        class {K1}:
            {A1} = {G1} + 1
            {A2} = [{C1} * 2 for {C1} in range({A1})]
            def {M1}(self):
                return {G1}, self.{A1}, {K1}.{A2}
            @staticmethod
            def {M2}({P1}):
                return {P1} * {G1}
            @classmethod
            def {M3}(cls, {P2}=3):
                return cls.{A1} + {P2}
        {G2} = {K1}()
        print({G2}.{M1}(), {K1}.{M2}({N2}), {K1}.{M3}(), {G2}.{M3}({P2}=1))
    """,
    "closures": """
        {F1} = lambda {P1}, {P2}=2: {P1} * {P2}
        def {F2}({P3}):
            {L1} = {F1}({P3})
            {L2} = lambda: {L1} + {P3}
            return [{L2}() for {C1} in range(2)], {F1}({P1}=1, {P2}=3)
        class {K1}:
            def {M1}(self, {P1}):
                return [{C2} + {P1} for {C2} in range({P1})]
        print({F2}({N1}), {F1}({N2}), {K1}().{M1}({N3}))
    """,
    "keywords": """
        def {F1}({P1}, {P2}=1, **{L1}):
            return {P1}, {P2}, sorted({L1})
        def {F2}({P3}, /, {C1}=0, **{L2}):
            return {P3} + {C1}, sorted({L2})
        {G1} = {{"{P2}": {N1}}}
        print({F1}({N2}, {P3}=1), {F1}({N1}, **{G1}), {F2}({N3}, {P3}=2), {F2}(1, {C1}=2, {P1}=3))
    """,
    "inheritance": """
        class {K1}:
            def __init__(self, {P1}):
                self.{A1} = {P1}
            def {M1}(self):
                return self.{A1} * 2
        class {K2}({K1}):
            def __init__(self, {P1}, {P2}):
                super().__init__({P1})
                self.{A2} = {P2}
            def {M1}(self):
                return super().{M1}() + self.{A2}
            def {M2}(self, {P3}):
                {L1} = [{C1}.{M1}() for {C1} in {P3}]
                return {L1}, isinstance(self, {K1})
        {G1} = {K2}({N1}, {N2})
        print({G1}.{M2}([{G1}, {K1}({N3})]), {G1}.{A1}, {G1}.{A2})
    """,
    "match": """
        {G1} = {N1}
        class {K1}:
            __match_args__ = ("{A1}",)
            def __init__(self, {P1}):
                self.{A1} = {P1}
        def {F1}({P1}):
            global {G1}
            {L1} = []
            def {F2}():
                return {C1}
            match {P1}:
                case {K1}({A1}={N2}) as {L2}:
                    {L1}.append({L2}.{A1})
                case {K1}({C1}) if {C1} > {G1}:
                    {L1}.append({F2}())
                case [{C1}, *{L3}] | ({C1}, {L3}):
                    {L1}.append(({C1}, {L3}))
                case {{"{A2}": {C1}, **{L3}}}:
                    {L1}.append(({C1}, sorted({L3})))
                case {G1}:
                    {L1}.append({G1})
            return {L1}, {G1}
        print({F1}({K1}({N2})), {F1}({K1}({N3} + {N1})), {F1}([1, 2]), {F1}({{"{A2}": 3, "k": 4}}), {F1}({N3}))
    """,
}

PLACEHOLDERS = [
    "G1", "G2", "F1", "F2", "P1", "P2", "P3", "L1", "L2", "L3", "C1", "C2", "E1", "K1", "K2", "A1", "A2", "M1", "M2", "M3",
]


@st.composite
def programs(draw) -> str:
    template = draw(st.sampled_from(sorted(TEMPLATES)))
    names = draw(st.lists(st.sampled_from(POOL), min_size=len(PLACEHOLDERS), max_size=len(PLACEHOLDERS), unique=True))
    numbers = {f"N{i}": draw(st.integers(1, 9)) for i in (1, 2, 3)}
    return dedent(TEMPLATES[template].format(**dict(zip(PLACEHOLDERS, names)), **numbers))


def run(source: str) -> tuple[str, str | None]:
    """stdout and the exception type, running in-process (the programs are small and pure)."""
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "<program>", "exec"), {"__name__": "__main__", "__builtins__": builtins})
        except Exception as caught:  # the generated program may fail: it must fail the same way
            error = type(caught).__name__
    return out.getvalue(), error


# Scope-carrying instructions: renaming may change the name, never the kind of lookup.
GLOBAL_OPS = {"LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL"}
LOCAL_OPS = {"LOAD_FAST", "STORE_FAST", "DELETE_FAST", "LOAD_DEREF", "STORE_DEREF", "DELETE_DEREF"}


def _instructions(code: types.CodeType) -> list[dis.Instruction]:
    """Opcodes, minus what depends on spelling alone: CPython skips LOAD_METHOD when a name is
    import-bound at module level, creates cells in name order, and jumps shrink with the code."""
    kept = []
    for instruction in dis.get_instructions(code):
        if instruction.opname in ("PUSH_NULL", "MAKE_CELL", "LOAD_CLOSURE", "EXTENDED_ARG"):
            continue
        if instruction.opname == "LOAD_METHOD":
            instruction = instruction._replace(opname="LOAD_ATTR")
        kept.append(instruction)
    return kept


def assert_same_shape(before: str, after: str) -> None:
    """Both compile to the same instructions, and each code object's locals (and the module's
    globals) map one to one onto the new names."""
    globals_map: dict[str, str] = {}

    def compare(old: types.CodeType, new: types.CodeType) -> None:
        locals_map: dict[str, str] = {}
        old_ops, new_ops = _instructions(old), _instructions(new)
        assert [i.opname for i in old_ops] == [i.opname for i in new_ops], old.co_name
        for a, b in zip(old_ops, new_ops):
            mapping = globals_map if a.opname in GLOBAL_OPS else locals_map if a.opname in LOCAL_OPS else None
            if mapping is not None:
                assert mapping.setdefault(a.argval, b.argval) == b.argval, (old.co_name, a.argval)
        assert len(set(locals_map.values())) == len(locals_map), (old.co_name, locals_map)
        old_nested = [c for c in old.co_consts if isinstance(c, types.CodeType)]
        new_nested = [c for c in new.co_consts if isinstance(c, types.CodeType)]
        assert len(old_nested) == len(new_nested), old.co_name
        for c, d in zip(old_nested, new_nested):
            compare(c, d)

    compare(compile(before, "<before>", "exec"), compile(after, "<after>", "exec"))
    assert len(set(globals_map.values())) == len(globals_map), globals_map


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_rename_preserves_stdout(source):
    output = RenamePass().run(source)
    assert run(output) == run(source), f"\n{source}\n--- renamed ---\n{output}"
    assert_same_shape(source, output)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_rename_then_alias_preserves_stdout(source):
    output = BuiltinAliasPass().run(RenamePass().run(source))
    assert run(output) == run(source), f"\n{source}\n--- golfed ---\n{output}"
