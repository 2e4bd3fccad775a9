"""The search stage's mutation catalogue: each kind's single-site mutants (exact text), the texts it
offers nothing on, and how a batch of sites combines.

Mutations come with no proof, so these tests do not run the mutants: they check the text each site
writes and that it compiles. Corpus programs and generated programs are in
test_search_mutations_corpus.py.
"""

from __future__ import annotations

import pytest

from golfkit.passes.base import Edits, PassContext, Safety
from golfkit.search import KINDS, catalogue
from golfkit.search.mutations.branches import DeleteBranch
from golfkit.search.mutations.characters import DeleteCharacter, SubstituteCharacter
from golfkit.search.mutations.deletions import (
    DeleteArgument,
    DeleteDefault,
    DeleteKeyword,
    DeleteStatement,
    DropParentheses,
)
from golfkit.search.mutations.lambdas import FunctionLambda, MethodLambda
from golfkit.search.mutations.lines import MergeLines, SplitLine, SwapStatements
from golfkit.search.mutations.operators import (
    AugmentedAssign,
    ChainComparison,
    ConditionalIndex,
    Increment,
    NegateComparison,
)
from golfkit.search.mutations.spellings import AppendAsAdd, ShorterNumber, UnpackBuiltin
from golfkit.search.mutations.strings import RenameString
from golfkit.search.mutations.subexpressions import ReplaceBySubexpression

# Large enough that the character kinds offer every edit of the small texts below.
CONTEXT = PassContext(settings={"char_edit_sites": 10_000})


def site_keys(kind, text: str, context: PassContext = CONTEXT) -> list[str]:
    return [site.key for site in kind.sites(text, context)[1]]


def mutant(kind, text: str, *keys: str, context: PassContext = CONTEXT) -> str:
    """``text`` with the sites of the given keys applied as one batch."""
    offered = site_keys(kind, text, context)
    missing = [key for key in keys if key not in offered]
    assert not missing, f"{missing} not among {offered}"
    return kind.apply(text, context, Edits({offered.index(key) for key in keys}))


# (kind, before, site key, after): one site applied.
SINGLE_SITES = [
    # delete-statement
    (DeleteStatement, "a = 1\nb = 2\nprint(a)\n", "del b = 2", "a = 1\nprint(a)\n"),
    (DeleteStatement, "a = 1; b = 2; print(a)\n", "del b = 2", "a = 1; print(a)\n"),
    (DeleteStatement, "a = 1; b = 2\n", "del b = 2", "a = 1\n"),
    (DeleteStatement, "def f():\n    return 1\nprint(2)\n", "del def f():\n    return 1", "print(2)\n"),
    (DeleteStatement, "if x: a = 1; b = 2\n", "del a = 1", "if x: b = 2\n"),
    (DeleteStatement, "if x:\n    a = 1\n    b = 2\n", "del a = 1", "if x:\n    b = 2\n"),
    # delete-branch
    (DeleteBranch, "if a:\n    x()\nelse:\n    y()\n", "if a: keep body", "x()\n"),
    (DeleteBranch, "if a:\n    x()\nelse:\n    y()\n", "if a: drop branch", "y()\n"),
    (DeleteBranch, "if a:\n    x()\nelse:\n    y()\n", "if: drop else:\n    y()", "if a:\n    x()\n"),
    (DeleteBranch, "if a:\n    x()\nelif b:\n    y()\n", "if a: drop branch", "if b:\n    y()\n"),
    (DeleteBranch, "if a:\n    x()\nelif b:\n    y()\n", "elif b: keep body", "if a:\n    x()\nelse:\n    y()\n"),
    (DeleteBranch, "if a:\n    x()\nelif b:\n    y()\nelse:\n    z()\n", "elif b: drop branch",
     "if a:\n    x()\nelse:\n    z()\n"),
    (DeleteBranch, "# why\nif a: x(); y()\nz()\n", "if a: keep body", "# why\nx(); y()\nz()\n"),
    (DeleteBranch, "def f(a):\n    if a:\n        return 1\n    return 2\n", "if a: keep body",
     "def f(a):\n    return 1\n    return 2\n"),
    (DeleteBranch, "for i in x:\n    pass\nelse:\n    y()\n", "for: drop else:\n    y()", "for i in x:\n    pass\n"),
    # delete-argument, delete-keyword, delete-default
    (DeleteArgument, "print(max(3, 1))\n", "max: - 1", "print(max(3))\n"),
    (DeleteArgument, "print(max(3, 1))\n", "max: - 3", "print(max(1))\n"),
    (DeleteArgument, "f(*a, b)\n", "f: - *a", "f(b)\n"),
    (DeleteKeyword, "print(1, sep='')\n", "print: - sep=''", "print(1)\n"),
    (DeleteKeyword, "f(a, **k)\n", "f: - **k", "f(a)\n"),
    (DeleteKeyword, "f(a, k=1,)\n", "f: - k=1", "f(a,)\n"),
    (DeleteDefault, "def f(a, b=2): pass\n", "f(b=2)", "def f(a, b): pass\n"),
    (DeleteDefault, "g = lambda x=1: x\n", "lambda(x=1)", "g = lambda x: x\n"),
    (DeleteDefault, "def f(*, a=1, b): pass\n", "f(a=1)", "def f(*, a, b): pass\n"),
    # drop-parentheses
    (DropParentheses, "x = (1 + 2)\n", "(1 + 2)", "x = 1 + 2\n"),
    (DropParentheses, "x = ((a))\n", "((a))", "x = (a)\n"),
    (DropParentheses, "def f(x):\n    return (x, x)\n", "(x, x)", "def f(x):\n    return x, x\n"),
    (DropParentheses, "print((i for i in x))\n", "(i for i in x)", "print(i for i in x)\n"),
    # subexpression
    (ReplaceBySubexpression, "print(abs(4) + 0)\n", "abs(4) + 0 -> abs(4)", "print(abs(4))\n"),
    (ReplaceBySubexpression, "y = a if c else b\n", "a if c else b -> b", "y = b\n"),
    (ReplaceBySubexpression, "y = (a, b)[0]\n", "(a, b)[0] -> a", "y = a\n"),
    (ReplaceBySubexpression, "y = x * f(a + b)\n", "f(a + b) -> a + b", "y = x * (a + b)\n"),
    (ReplaceBySubexpression, "if(a or b): pass\n", "(a or b) -> a", "if(a): pass\n"),
    (ReplaceBySubexpression, "y = a.b.c\n", "a.b.c -> a.b", "y = a.b\n"),
    (ReplaceBySubexpression, "y = sum(x for x in z)\n", "sum(x for x in z) -> x for x in z", "y = (x for x in z)\n"),
    (ReplaceBySubexpression, "y = [i for i in z]\n", "[i for i in z] -> z", "y = z\n"),
    # augmented-assign
    (AugmentedAssign, "x = x + 1\n", "x = x + 1", "x += 1\n"),
    (AugmentedAssign, "a[i] = a[i] * 2\n", "a[i] = a[i] * 2", "a[i] *= 2\n"),
    (AugmentedAssign, "x = x - (y - z)\n", "x = x - (y - z)", "x -= y - z\n"),
    (AugmentedAssign, "x=x<<2;y=1\n", "x=x<<2", "x<<=2;y=1\n"),
    # append-as-add
    (AppendAsAdd, "x.append(1)\n", "x.append(1)", "x+=1,\n"),
    (AppendAsAdd, "x.extend(y)\n", "x.extend(y)", "x+=y\n"),
    (AppendAsAdd, "a.b.append(y := 2)\n", "a.b.append(y := 2)", "a.b+=(y := 2),\n"),
    # unpack-builtin
    (UnpackBuiltin, "print(list(x))\n", "list(x) -> [*x]", "print([*x])\n"),
    (UnpackBuiltin, "print(tuple(x))\n", "tuple(x) -> (*x,)", "print((*x,))\n"),
    (UnpackBuiltin, "print(set(x))\n", "set(x) -> {*x}", "print({*x})\n"),
    (UnpackBuiltin, "y = list(a or b)\n", "list(a or b) -> [*(a or b)]", "y = [*(a or b)]\n"),
    (UnpackBuiltin, "y = list() + [dict()]\n", "dict() -> {}", "y = list() + [{}]\n"),
    (UnpackBuiltin, 'print(f"{set(x)}")\n', "set(x) -> {*x}", 'print(f"{({*x})}")\n'),
    # negate-comparison
    (NegateComparison, "y = not a == b\n", "not a == b -> a != b", "y = a != b\n"),
    (NegateComparison, "if not (a in b): pass\n", "not (a in b) -> a not in b", "if a not in b: pass\n"),
    (NegateComparison, "y = not a is None\n", "not a is None -> a is not None", "y = a is not None\n"),
    (NegateComparison, "y = not a >= b\n", "not a >= b -> a < b", "y = a < b\n"),
    # shorter-number
    (ShorterNumber, "x = 1000\n", "1000 -> 1e3", "x = 1e3\n"),
    (ShorterNumber, "x = 1000000\n", "1000000 -> 10**6", "x = 10**6\n"),
    (ShorterNumber, "x = 0.5\n", "0.5 -> .5", "x = .5\n"),
    (ShorterNumber, "x = 2.0\n", "2.0 -> 2", "x = 2\n"),
    (ShorterNumber, "x = 0xff\n", "0xff -> 255", "x = 255\n"),
    (ShorterNumber, "y = a if b else(0.5)\n", "0.5 -> .5", "y = a if b else(.5)\n"),
    (ShorterNumber, "y = 1000000 ** n\n", "1000000 -> 1e6", "y = 1e6 ** n\n"),
    # increment
    (Increment, "y = n - 1\n", "n - 1 -> ~-n", "y = ~-n\n"),
    (Increment, "y = (n + 1) * 2\n", "(n + 1) -> -~n", "y = -~n * 2\n"),
    (Increment, "y = 1 + n\n", "1 + n -> -~n", "y = -~n\n"),
    (Increment, "y = (a * b) + 1\n", "(a * b) + 1 -> -~(a * b)", "y = -~(a * b)\n"),
    # chain-comparison
    (ChainComparison, "y = a < b and b < c\n", "a < b and b < c -> a < b < c", "y = a < b < c\n"),
    (ChainComparison, "y = (a < b) and (b <= c)\n", "(a < b) and (b <= c) -> a < b <= c", "y = a < b <= c\n"),
    # conditional-index
    (ConditionalIndex, "y = a if c else b\n", "a if c else b -> [b,a][c]", "y = [b,a][c]\n"),
    (ConditionalIndex, "y = a if c else b\n", "a if c else b -> (b,a)[c]", "y = (b,a)[c]\n"),
    (ConditionalIndex, "y = a if c else lambda: 0\n", "a if c else lambda: 0 -> [lambda: 0,a][c]",
     "y = [lambda: 0,a][c]\n"),
    # function-lambda, method-lambda
    (FunctionLambda, "def f(x):\n    return x * 2\n", "def f(x):\n    return x * 2", "f=lambda x:x * 2\n"),
    (FunctionLambda, "def f(x: int = 1, *a, k, **kw) -> int:\n    return x\n",
     "def f(x: int = 1, *a, k, **kw) -> int:\n    return x", "f=lambda x=1,*a,k,**kw:x\n"),
    (FunctionLambda, "def f(): return\n", "def f(): return", "f=lambda:None\n"),
    (FunctionLambda, "def f(a):\n    return a, a\n", "def f(a):\n    return a, a", "f=lambda a:(a, a)\n"),
    (MethodLambda, "class A:\n    def m(self, x):\n        return x\n", "def m(self, x):\n    return x",
     "class A:\n    m=lambda self,x:x\n"),
    # merge-lines, split-line, swap-statements
    (MergeLines, "a = 1\nb = 2\n", "a = 1 + b = 2", "a = 1;b = 2\n"),
    (MergeLines, "a = 1; b = 2\nc = 3\n", "a = 1;b = 2 + c = 3", "a = 1; b = 2;c = 3\n"),
    (MergeLines, "if x:\n    a = 1\n    b = 2\n", "a = 1 + b = 2", "if x:\n    a = 1;b = 2\n"),
    (SplitLine, "a = 1; b = 2\n", "a = 1 / b = 2", "a = 1\nb = 2\n"),
    (SplitLine, "if x:\n    a = 1;b = 2;c = 3\n", "b = 2 / c = 3", "if x:\n    a = 1;b = 2\n    c = 3\n"),
    (SwapStatements, "a = 1\nb = 2\n", "a = 1 <-> b = 2", "b = 2\na = 1\n"),
    (SwapStatements, "a = 1; b = 2\n", "a = 1 <-> b = 2", "b = 2; a = 1\n"),
    (SwapStatements, "A.i = a; A.f = 0\n", "A.i = a <-> A.f = 0", "A.f = 0; A.i = a\n"),
    (SwapStatements, "x = len(a)\ny = len(b)\n", "x = len(a) <-> y = len(b)", "y = len(b)\nx = len(a)\n"),
    # rename-string
    (RenameString, "d = {'wte': 1, \"wpe\": 2}\nprint(d['wte'] + d[\"wpe\"])\n", "rename string 'wpe'",
     "d = {'wte': 1, \"B\": 2}\nprint(d['wte'] + d[\"B\"])\n"),
    (RenameString, "p = 'layer.'\nk = p + ('query')\nd = {k: 1}\nprint(d[p + 'query'])\n", "rename string 'query'",
     "p = 'layer.'\nk = p + 'B'\nd = {k: 1}\nprint(d[p + 'B'])\n"),
    # characters
    (DeleteCharacter, "x=1\n", "1 '='", "x1\n"),
    (DeleteCharacter, "x=1\n", "3 '\\n'", "x=1"),
    (SubstituteCharacter, "x=1\n", "2 '1'>'x'", "x=x\n"),
]


@pytest.mark.parametrize(
    "kind, before, key, after",
    SINGLE_SITES,
    ids=[f"{kind.name}-{index}" for index, (kind, *_) in enumerate(SINGLE_SITES)],
)
def test_single_site_mutants(kind, before, key, after):
    output = mutant(kind(), before, key)
    assert output == after, f"\n--- got ---\n{output}\n--- expected ---\n{after}"
    compile(output, "<mutant>", "exec", dont_inherit=True)


# (kind, text, why no site is offered)
NO_SITES = [
    (DeleteStatement, "def f():\n    return 1\n", "every-body-has-one-statement"),
    (DeleteBranch, "x = 1\nwhile x:\n    x -= 1\n", "no-if"),
    (DeleteArgument, "f()\nf(k=1)\n", "no-positional-argument"),
    (DeleteKeyword, "f(1, 2)\n", "no-keyword"),
    (DeleteDefault, "def f(a, *b, **c): pass\n", "no-default"),
    (DropParentheses, "y = (a + b) * c\n", "precedence-needs-them"),
    (DropParentheses, "def f(x):\n    return(x)\n", "would-glue-return-x"),
    (DropParentheses, "x = ()\n", "empty-tuple"),
    (ReplaceBySubexpression, "x = 1\ny = x\n", "no-compound-expression"),
    (ReplaceBySubexpression, "a.b = 1\ndel a.c\nimport os.path\n", "targets-and-imports"),
    (AugmentedAssign, "x = y + x\nx = x + 1 + 2\nx, y = x + 1, y\nx = (x + 1)\n", "not-x-op-v"),
    (AppendAsAdd, "f().append(1)\nx.append(*a)\ny = x.append(1)\nx.append(1, 2)\nx.append(k=1)\n",
     "not-a-statement-append"),
    (UnpackBuiltin, "list = f\nprint(list(x))\n", "list-rebound"),
    (UnpackBuiltin, "set()\nlist(x, y)\nlist(k=1)\nlist(i for i in x)\n", "no-display-form"),
    (NegateComparison, "y = not a < b < c\ny = not a\ny = not f(a == b)\n", "not-a-single-comparison"),
    (ShorterNumber, "x = 10\nz = 1e3\nw = .5\nv = 0\n", "already-shortest"),
    (Increment, "y = n - 2\ny = n + 1.0\ny = 1 - n\n", "not-plus-minus-one"),
    (Increment, "y=a*b+1\n", "longer-with-brackets"),
    (ChainComparison, "y = a < b and c < d\ny = a < b or b < c\n", "not-chained"),
    (ConditionalIndex, "y = a\n", "no-conditional"),
    (FunctionLambda, "@d\ndef f(): return 1\nasync def g(): return 1\ndef h():\n    x = 1\n    return x\n"
                     "class A:\n    def m(self): return 1\n", "decorated-async-two-statements-method"),
    (MethodLambda, "class A(B):\n    def m(self):\n        return super().m()\ndef f(): return 1\n",
     "super-and-plain-function"),
    (MergeLines, "if a:\n    b = 1\nfor x in y:\n    pass\n", "no-two-simple-lines"),
    (SplitLine, "if x: a = 1; b = 2\na = 1\n", "one-line-bodies-stay"),
    (SwapStatements, "a = 1\nb = a\n", "reads-what-the-other-writes"),
    (SwapStatements, "print(1)\nprint(2)\n", "both-have-effects"),
    (SwapStatements, "x.append(1)\ny = x\n", "method-changes-its-object"),
    (SwapStatements, "A.i = 1\nprint(A)\n", "attribute-of-what-is-read"),
    (SwapStatements, "def f():\n    a = 1\n    return 2\n", "return-keeps-its-place"),
    (SwapStatements, "from __future__ import annotations\nimport os\n", "future-import-first"),
    (RenameString, "print('word')\nf = open('data.txt')\nx = 'a' + 'b'\ny = 'x' 'yz'\nz = b'bytes'\n"
                   "w = 'two words'\nv = '1st'\ns = 'sep'.join(q)\n", "shown-short-or-not-a-word"),
    (RenameString, "k = 'key'\nprint('key')\n", "one-literal-of-the-value-shows"),
    (DeleteCharacter, "", "empty-text"),
    (SubstituteCharacter, "", "empty-text"),
]


@pytest.mark.parametrize("kind, text, why", NO_SITES, ids=[why for _, _, why in NO_SITES])
def test_no_site(kind, text, why):
    assert site_keys(kind(), text) == []


def test_only_defaults_whose_deletion_compiles_are_offered():
    # `def f(a=1, b)` does not compile: b keeps its default while a has one.
    assert site_keys(DeleteDefault(), "def f(a=1, b=2): pass\n") == ["f(a=1)"]


def test_the_catalogue_lists_every_kind_once_with_its_identity():
    kinds = catalogue()
    assert [type(kind) for kind in kinds] == list(KINDS)
    assert len({type(kind) for kind in kinds}) == len(kinds) == 23
    assert len({kind.name for kind in kinds}) == len(kinds)
    for kind in kinds:
        assert kind.name and kind.description and "\n" not in kind.description, kind
        assert kind.safety is Safety.CONTRACT, kind
        assert kind.safety_statement.startswith("a run decides"), kind
        assert type(kind).__doc__, kind


@pytest.mark.parametrize("kind", catalogue(), ids=lambda kind: kind.name)
def test_each_example_is_one_of_its_single_site_mutants(kind):
    before, after = kind.example
    count = len(kind.sites(before, CONTEXT)[1])
    mutants = {kind.apply(before, CONTEXT, Edits({index})) for index in range(count)}
    assert after in mutants


# (kind, text, two keys whose sites do not overlap)
PAIRS = [
    (SplitLine, "a = 1;b = 2;c = 3;d = 4\n", "a = 1 / b = 2", "c = 3 / d = 4"),
    (DeleteBranch, "if a:\n    x()\nif b:\n    y()\nelse:\n    z()\n", "if a: keep body", "if b: drop branch"),
    (AppendAsAdd, "x.append(1)\ny.append(2)\n", "x.append(1)", "y.append(2)"),
    (UnpackBuiltin, "f(list(a), set(b))\n", "list(a) -> [*a]", "set(b) -> {*b}"),
    (NegateComparison, "f(not a == b, not c in d)\n", "not a == b -> a != b", "not c in d -> c not in d"),
    (DropParentheses, "x = (a)\ny = (b)\n", "(a)", "(b)"),
    (DeleteDefault, "def f(a=1): pass\ndef g(b=2): pass\n", "f(a=1)", "g(b=2)"),
    (AugmentedAssign, "x = x + 1\ny = y * 2\n", "x = x + 1", "y = y * 2"),
    (ChainComparison, "f(a < b and b < c, d < e and e < f)\n", "a < b and b < c -> a < b < c",
     "d < e and e < f -> d < e < f"),
    (MethodLambda, "class A:\n    def m(s): return 1\n    def n(s): return 2\n", "def m(s): return 1",
     "def n(s): return 2"),
    (FunctionLambda, "def f(): return 1\ndef g(): return 2\n", "def f(): return 1", "def g(): return 2"),
    (DeleteKeyword, "f(a=1, b=2)\n", "f: - a=1", "f: - b=2"),
    (RenameString, "d = {'left': 1, 'right': 2}\nprint(d['left'], d['right'])\n", "rename string 'left'",
     "rename string 'right'"),
]


@pytest.mark.parametrize("kind, text, first, second", PAIRS, ids=[kind.name for kind, *_ in PAIRS])
def test_two_sites_at_once_equal_one_after_the_other(kind, text, first, second):
    sequential = mutant(kind(), mutant(kind(), text, first), second)
    assert mutant(kind(), text, first, second) == sequential != text


def test_a_site_inside_a_deleted_statement_is_skipped():
    text = "if a:\n    x = 1\n    y = 2\nz = 3\n"
    both = mutant(DeleteStatement(), text, "del if a:\n    x = 1\n    y = 2", "del x = 1")
    assert both == "z = 3\n"


def test_a_batch_never_empties_a_body_the_later_site_is_skipped():
    text = "if a:\n    x = 1\n    y = 2\nz = 3\n"
    assert mutant(DeleteStatement(), text, "del x = 1", "del y = 2") == "if a:\n    y = 2\nz = 3\n"


def test_a_batch_that_would_not_compile_keeps_its_sites_in_order_while_they_compile():
    # Either binding may go alone; both gone, `nonlocal x` has nothing to refer to.
    text = "def f():\n    x = 1\n    x = 2\n    def g():\n        nonlocal x\n        return x\n    return g\n"
    output = mutant(DeleteStatement(), text, "del x = 1", "del x = 2")
    assert output == "def f():\n    x = 2\n    def g():\n        nonlocal x\n        return x\n    return g\n"


def test_the_same_site_twice_is_applied_once():
    text = "y = a if c else b\n"
    both = mutant(ConditionalIndex(), text, "a if c else b -> [b,a][c]", "a if c else b -> (b,a)[c]")
    assert both == "y = [b,a][c]\n"


def test_character_sites_are_capped_sampled_by_seed_and_numbered_by_position():
    text = "total = 0\nfor value in range(10):\n    total = total + value * 2\nprint(total)\n"
    small = PassContext(settings={"char_edit_sites": 5})
    keys = site_keys(SubstituteCharacter(), text, small)
    assert len(keys) == 5
    assert [int(key.split()[0]) for key in keys] == sorted(int(key.split()[0]) for key in keys)
    assert site_keys(SubstituteCharacter(), text, small) == keys
    other_seed = PassContext(settings={"char_edit_sites": 5, "seed": 1})
    assert site_keys(SubstituteCharacter(), text, other_seed) != keys
    every = site_keys(DeleteCharacter(), text)
    assert 0 < len(every) < len(text)  # only the deletions that still compile
