"""The microgpt phrasings (tests/programs/microgpt_phrasings/, measured by bench/phrasings.py) stay
faithful: with num_steps lowered to 3, each prints exactly what the reference prints, judged as a
build judges a candidate. A phrasing that drifts from the reference would measure nothing."""

import pytest

from golfkit.overrides import apply_overrides
from golfkit.verify import judge
from tests.conftest import PROGRAMS, ROOT, dataset_path
from tests.support import run_like_a_build

PHRASINGS = sorted((PROGRAMS / "microgpt_phrasings").glob("*.py"))
QUICK = (("num_steps", "3"),)

pytestmark = pytest.mark.skipif(dataset_path() is None, reason="the names dataset is not set up (scripts/setup.sh)")


def quick_run(path):
    source = apply_overrides(path.read_text(), QUICK)
    return run_like_a_build(source, files={"input.txt": dataset_path().read_text()}, timeout=120)


@pytest.fixture(scope="module")
def reference_run():
    result = quick_run(ROOT / "reference" / "microgpt.py")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"step    3 /    3 | loss " in result.stdout and b"sample 20: " in result.stdout
    return result


def test_there_are_phrasings():
    assert len(PHRASINGS) >= 2


@pytest.mark.parametrize("path", PHRASINGS, ids=lambda path: path.stem)
def test_phrasing_prints_what_the_reference_prints(path, reference_run):
    result = quick_run(path)
    assert judge(result, reference_run) == "identical", result.stderr.decode(errors="replace")
