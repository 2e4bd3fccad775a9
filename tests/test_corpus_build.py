"""`golfkit build` on every corpus program ends verified, and no pass's result is rejected:
the verifier is the safety net, not the design."""

from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.options import Options
from golfkit.rename.search import SearchSettings

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.py"))
# The rename pass's name search (its chains' evaluations per KiB of text) at a seventh of its
# default: every build still searches and confirms its names with the real measure, for about a
# quarter less work a build. This test checks the build's safety, not how well names pack; the
# search itself is tested in test_rename_search.
NAME_SEARCH_BUDGET = 1000


@pytest.fixture(autouse=True)
def shorter_name_search(monkeypatch):
    # Builds read the search's settings through SearchSettings.of, which falls back on the class's
    # defaults (a build passes no name_search_* setting).
    monkeypatch.setattr(SearchSettings, "budget", NAME_SEARCH_BUDGET)
    assert SearchSettings.of({}).budget == NAME_SEARCH_BUDGET


@pytest.mark.parametrize("program", CORPUS, ids=[path.stem for path in CORPUS])
def test_build_ends_verified_with_no_rejected_pass(program, tmp_path):
    # Corpus programs run with no input (see test_corpus_programs); one that looks at its arguments
    # is golfed for none, as its expected log was made.
    options = Options(source=program, out_dir=tmp_path / "build", cache_dir=tmp_path / "cache", jobs=1,
                      target="chars", assume_no_input=True)
    outcome = Builder(options).build()
    failures = [f"{stage['name']}: {stage['verdict']}: {stage['reason']}" for stage in outcome.report["stages"]
                if stage["verdict"] in ("rejected", "partial", "error")]
    assert not failures, "\n".join(failures)
    assert outcome.report["final"]["verified"]
    assert outcome.report["final"]["chars"] <= outcome.report["reference"]["chars"]
