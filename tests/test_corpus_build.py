"""`golfkit build` on every corpus program ends verified, and no pass's result is rejected:
the verifier is the safety net, not the design."""

from pathlib import Path

import pytest

from golfkit.build import Builder
from golfkit.options import Options

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.py"))


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
