"""The search stage's driver and its quick oracle, with real runs of small programs and a small
test-only mutation kind (the catalogue's kinds are tested on their own)."""

from __future__ import annotations

import itertools

import libcst as cst

from golfkit.analysis import code
from golfkit.passes.base import Pass, Safety, Site
from golfkit.search.quick import QuickOracle, lowered, original_values
from golfkit.search.stage import Search, SearchSettings
from golfkit.verify import Verdict, judge
from tests.support import run_like_a_build


class DropStatement(Pass):
    """Test kind: delete one module-level simple statement (the run decides)."""

    name = "drop-statement"
    description = "delete a module-level statement"
    safety = Safety.CONTRACT
    safety_statement = "a run decides"

    def find_sites(self, facts, context):
        return [Site(statement, code(statement).strip()) for statement in facts.module.body
                if isinstance(statement, cst.SimpleStatementLine) and len(facts.module.body) > 1]

    def rewrite(self, facts, sites, context):
        dropped = {id(site.target) for site in sites}
        return facts.module.with_changes(body=[s for s in facts.module.body if id(s) not in dropped]).code


class RunPool:
    """Verifies texts by running them against a reference program's run, counting the runs."""

    def __init__(self, reference: str):
        self.reference = run_like_a_build(reference)
        self.keys = itertools.count()
        self.texts: dict[int, str] = {}
        self.labels: list[str] = []

    def submit(self, text: str, label: str) -> int:
        key = next(self.keys)
        self.texts[key] = text
        self.labels.append(label)
        return key

    def result(self, key: int) -> Verdict:
        run = run_like_a_build(self.texts[key])
        reason = judge(run, self.reference)
        return Verdict(reason == "identical", reason, run)


def shorter(a: str, b: str) -> bool:
    return len(a) < len(b)


PROGRAM = ("unused = 'a long string nobody reads'\nx = 2\nnoise = [1, 2, 3]\nprint(x * 21)\n"
           "also_unused = {'k': 'v'}\nprint('done')\n")


def test_the_search_keeps_what_a_full_run_verifies_and_remembers_what_breaks():
    pool = RunPool(PROGRAM)
    search = Search([DropStatement()], shorter, pool, settings=SearchSettings(seconds=60, batch=8))
    outcome = search.run(PROGRAM)
    assert outcome.text == "x = 2\nprint(x * 21)\nprint('done')\n"
    assert judge(run_like_a_build(outcome.text), pool.reference) == "identical"
    broken = search.broken.blocked("drop-statement")
    assert {"x = 2", "print(x * 21)", "print('done')"} <= broken
    counts = search.counts
    assert counts.kept == 3 and counts.tried >= 6 and counts.shorter == counts.compiled
    assert outcome.batches and all(kept > 0 for _, _, kept in outcome.batches)
    # Each drop was screened by its own run first, so the batch held no breaking drop.
    assert any(label.startswith("search (screen; ") for label in pool.labels)
    assert not any("bisect" in label for label in pool.labels)
    assert counts.verified >= counts.kept


def test_mutations_that_pass_alone_but_break_together_are_bisected():
    # Dropping any one assignment keeps the output; dropping all three does not.
    program = "a = b = 5\nb = 5\na = 5\nprint(a + b)\n"
    pool = RunPool(program)
    search = Search([DropStatement()], shorter, pool, settings=SearchSettings(seconds=60, batch=8))
    outcome = search.run(program)
    assert judge(run_like_a_build(outcome.text), pool.reference) == "identical"
    assert len(outcome.text) < len(program)
    assert any("bisect" in label for label in pool.labels)


def test_the_seed_fixes_the_trials_and_the_result():
    first = Search([DropStatement()], shorter, RunPool(PROGRAM), settings=SearchSettings(seed=3, batch=2)).run(PROGRAM)
    again = Search([DropStatement()], shorter, RunPool(PROGRAM), settings=SearchSettings(seed=3, batch=2)).run(PROGRAM)
    assert first.text == again.text and first.batches == again.batches


def test_a_mutant_the_quick_oracle_rejects_never_costs_a_full_run():
    pool = RunPool(PROGRAM)
    rejected = []

    def quick(mutants):  # rejects every drop of a print, as a lowered run would
        verdicts = ["print(" in mutant and mutant.count("print(") == 2 for mutant in mutants]
        rejected.extend(m for m, ok in zip(mutants, verdicts) if not ok)
        return verdicts

    search = Search([DropStatement()], shorter, pool, quick=quick, settings=SearchSettings(batch=8))
    outcome = search.run(PROGRAM)
    assert rejected and all(text not in pool.texts.values() for text in rejected)
    assert "print(x * 21)" in outcome.text and search.counts.quick_passed < search.counts.shorter


SCALED = "steps = 1000\ntotal = 0\nfor i in range(steps):\n    total += i % 7\nprint(total, steps)\n"


def test_constants_are_lowered_by_value_in_the_golfed_text():
    assert original_values(SCALED, ["steps"]) == {"steps": 1000}
    assert original_values(SCALED, ["missing"]) is None
    golfed = "t=0\nfor i in range(1000):t+=i%7\nprint(t,1e3)\n"
    assert lowered(golfed, [(1000, 30)]) == "t=0\nfor i in range(30):t+=i%7\nprint(t,30.0)\n"
    assert lowered("print(1)\n", [(1000, 30)]) is None


def test_the_quick_oracle_judges_mutants_against_the_text_they_come_from_lowered():
    pools = []

    def judge_for(lowered_text):
        pools.append(RunPool(lowered_text))
        return pools[-1], ""

    oracle = QuickOracle(SCALED, (("steps", "30"),), judge_for)
    # The count is also printed as text: the source under the override would print 30 there,
    # the lowered text still prints 1000; its own lowered run is the baseline, so it agrees.
    golfed = "t=0\nfor i in range(1000):t+=i%7\nprint(t,'/ 1000')\n"
    assert oracle.usable(golfed) and len(pools) == 1
    assert oracle([golfed.replace("%7", "%8"), golfed.replace("t=0\n", "t=0;")]) == [False, True]
    assert oracle.usable(golfed) and len(pools) == 1  # the same text keeps its baseline
    assert not oracle.usable("print(1)\n") and "no literal" in oracle.note
    refusing = QuickOracle(SCALED, (("steps", "30"),), lambda lowered_text: (None, "it fails"))
    assert not refusing.usable(golfed) and refusing.note == "it fails"
    assert QuickOracle(SCALED, (("steps", "'x'"),), judge_for).note.endswith("is not a number")


# --- the stage in a build -------------------------------------------------------------------------


def search_build(tmp_path, program: str, passes=("strip", "layout"), **options):
    """A build of ``program`` (unpacked, one round, the given passes) with the options given."""
    from golfkit.build import Builder
    from golfkit.options import Options
    from golfkit.passes import default_pipeline

    source = tmp_path / "prog.py"
    source.write_text(program)
    settings = Options(source=source, out_dir=tmp_path / "build", cache_dir=tmp_path / "cache",
                       precheck_python="none", pack=False, max_rounds=1, jobs=2, **options)
    return Builder(settings, passes=default_pipeline(passes)).build()


# Statements no pass can prove useless, each one a run shows is (sorting a sorted list...).
REDUNDANT = ("values = [1, 2, 3]\nvalues.sort()\nvalues.extend([])\ncopy = list(values)\n"
             "print(sum(values), values)\n")


def test_a_build_with_a_search_budget_keeps_verified_mutations_as_search_rows(tmp_path):
    outcome = search_build(tmp_path, REDUNDANT, search_seconds=60)
    final = outcome.final_path.read_text()
    assert "sort" not in final and "extend" not in final and "copy" not in final  # what no pass proves, a run can
    assert judge(run_like_a_build(final), run_like_a_build(REDUNDANT)) == "identical"
    rows = [stage for stage in outcome.report["stages"] if stage["name"] == "search"]
    assert rows and all(row["verdict"] == "verified" and row["safety"] == "contract" for row in rows)
    counts = outcome.report["search"]
    assert counts["kept"] >= 3 and counts["tried"] >= counts["compiled"] >= counts["shorter"] >= counts["kept"]
    # Size against time: the start, then one point per verified batch, each smaller.
    sizes = [size for _, size in counts["timeline"]]
    assert len(sizes) == len(rows) + 1 and sizes == sorted(sizes, reverse=True) and sizes[-1] < sizes[0]
    assert sum(kind["kept"] for kind in counts["by_kind"].values()) == counts["kept"]
    assert counts["quick_oracle"].startswith("none")


# A key too long to be worth inlining, used only as a name: once the search renames it, the
# constants pass finds it worth inlining after all.
KEYED = "tag = 'embedding_table'\ntable = {tag: 3}\nprint(table[tag] * 2)\n"


def test_the_passes_run_again_on_what_the_search_kept(tmp_path):
    outcome = search_build(tmp_path, KEYED, passes=("constants",), search_seconds=60)
    final = outcome.final_path.read_text()
    assert "embedding" not in final and "tag" not in final, final
    assert judge(run_like_a_build(final), run_like_a_build(KEYED)) == "identical"
    rows = [(stage["name"], stage["round"]) for stage in outcome.report["stages"] if stage["verdict"] == "verified"]
    search_at = rows.index(("search", 0))
    assert ("constants", 2) in rows[search_at:], rows  # numbered on after the first run's round


def test_no_contract_means_no_search(tmp_path):
    outcome = search_build(tmp_path, REDUNDANT, passes=("strip",), search_seconds=60, contract=False)
    assert outcome.report["search"] is None and "sort" in outcome.final_path.read_text()


# Long enough that its run with the steps lowered is clearly quicker.
SCALED_REDUNDANT = ("steps = 3000000\nvalues = [3, 1, 2]\nvalues.sort()\nvalues.sort()\ntotal = 0\n"
                    "for i in range(steps):\n    total += values[i % 3]\nprint(total, values)\n")


def test_a_quick_oracle_screens_mutants_with_the_constant_lowered(tmp_path):
    outcome = search_build(tmp_path, SCALED_REDUNDANT, search_seconds=60, quick_set=("steps=30",))
    final = outcome.final_path.read_text()
    assert final.count("sort") == 1  # the second sort is what only a run shows to be redundant
    assert judge(run_like_a_build(final), run_like_a_build(SCALED_REDUNDANT)) == "identical"
    counts = outcome.report["search"]
    assert counts["quick_oracle"].startswith("steps=30, lowered"), counts["quick_oracle"]
    assert counts["kept"] >= 1 and counts["quick_passed"] <= counts["shorter"]


def test_a_quick_oracle_whose_lowered_run_fails_is_left_out_and_said(tmp_path):
    program = "steps = 400\nif steps < 100:\n    raise SystemExit(3)\nx = [1]\nx.sort()\nprint(sum(range(steps)))\n"
    outcome = search_build(tmp_path, program, search_seconds=30, quick_set=("steps=30",))
    assert "not used (the text lowered exits with status 3" in outcome.report["search"]["quick_oracle"]
    assert judge(run_like_a_build(outcome.final_path.read_text()), run_like_a_build(program)) == "identical"


def test_a_malformed_quick_set_is_a_usage_error(tmp_path):
    import pytest

    from golfkit.errors import UsageError
    from golfkit.options import Options

    with pytest.raises(UsageError, match="--quick-set 'steps': expected NAME=VALUE"):
        Options(source=tmp_path / "prog.py", quick_set=("steps",))


class RespellString(Pass):
    """Test kind: a string literal spelled as a shorter one the test gives."""

    name = "respell-string"
    description = "replace a string literal"
    safety = Safety.CONTRACT
    safety_statement = "a run decides"

    def __init__(self, replacement: str):
        self.replacement = replacement

    def find_sites(self, facts, context):
        return [Site(node, code(node)) for node in facts.nodes(cst.SimpleString)]

    def rewrite(self, facts, sites, context):
        text = facts.module.code
        for site in sites:
            text = text.replace(code(site.target), repr(self.replacement), 1)
        return text


OPENS = "mode = 'rb'\nwith open(__file__, mode) as f:\n    pass\nprint('fine')\n"


def test_unsandboxed_mutants_spell_no_word_the_program_did_not():
    # 'a' would open the file for writing: never tried when runs are not sandboxed.
    pool = RunPool(OPENS)
    search = Search([RespellString("a")], shorter, pool, settings=SearchSettings(seconds=30), confined=False)
    outcome = search.run(OPENS)
    assert outcome.text == OPENS and pool.texts == {} and search.counts.new_words >= 1
    # Sandboxed, the same mutant is tried (and the run decides).
    pool = RunPool(OPENS)
    search = Search([RespellString("a")], shorter, pool, settings=SearchSettings(seconds=30), confined=True)
    search.run(OPENS)
    assert any("'a'" in text for text in pool.texts.values()) and search.counts.new_words == 0


def test_the_vocabulary_holds_names_attributes_callees_and_literals():
    from golfkit.search.stage import vocabulary

    words = vocabulary("import socket as s\nx = s.socket()\nprint(x.fileno(), 'w', 3)\n")
    assert {("name", "s"), ("module", "socket"), ("attribute", "socket"), ("call", "s.socket"),
            ("literal", "'w'"), ("literal", "3"), ("call", "print")} <= words
    assert vocabulary("x = (") is None


def test_a_build_without_the_sandbox_searches_within_the_programs_own_words(tmp_path):
    outcome = search_build(tmp_path, REDUNDANT, search_seconds=30, sandbox=False)
    counts = outcome.report["search"]
    assert counts["confined"] is False and outcome.report["sandboxed"] is False
    assert counts["kept"] >= 1  # deletions spell nothing new
    assert judge(run_like_a_build(outcome.final_path.read_text()), run_like_a_build(REDUNDANT)) == "identical"


def test_diff_search_shows_every_batch_and_no_search_turns_it_off(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from golfkit.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "prog.py").write_text(REDUNDANT)
    common = ["prog.py", "--passes", "strip,layout", "--no-pack", "--precheck-python", "none", "--max-rounds", "1",
              "--cache-dir", str(tmp_path / "cache"), "--out-dir", "build", "-q", "--json"]
    searched = CliRunner().invoke(cli, ["build", *common, "--search-seconds", "60"])
    assert searched.exit_code == 0, searched.output
    batches = [s for s in json.loads(searched.output)["stages"] if s["name"] == "search"]
    shown = CliRunner().invoke(cli, ["diff", "search", "--out-dir", "build"])
    assert shown.exit_code == 0 and f"+++ {batches[-1]['file']}" in shown.output
    assert "-values.sort()" in shown.output and "-copy=list(values)" in shown.output
    plain = CliRunner().invoke(cli, ["build", *common, "--search-seconds", "60", "--no-search"])
    assert plain.exit_code == 0 and json.loads(plain.output)["search"] is None


class CachingPool(RunPool):
    """A RunPool whose verdicts outlive one search, as the run cache's do between builds."""

    def __init__(self, reference: str):
        super().__init__(reference)
        self.verdicts: dict[str, Verdict] = {}
        self.ran: list[str] = []

    def result(self, key: int) -> Verdict:
        text = self.texts[key]
        if text not in self.verdicts:
            self.ran.append(text)
            self.verdicts[text] = super().result(key)
        return self.verdicts[text]


def test_a_second_search_goes_on_where_the_first_stopped():
    from golfkit.bisection import BrokenSites

    broken, pool = BrokenSites(), CachingPool(PROGRAM)
    first = Search([DropStatement()], shorter, pool, broken=broken,
                   settings=SearchSettings(batch=1, window=1, max_batches=1)).run(PROGRAM)
    ran_first = list(pool.ran)
    second = Search([DropStatement()], shorter, pool, broken=broken, settings=SearchSettings(batch=2)).run(PROGRAM)
    assert len(first.text) > len(second.text) == len("x = 2\nprint(x * 21)\nprint('done')\n")
    # Nothing the first search ran is run again: known breaks are skipped, verified texts cached.
    assert not set(pool.ran[len(ran_first):]) & set(ran_first)
