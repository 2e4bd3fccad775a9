import os
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "tests" / "programs"
SHARED = ROOT.parent / "shared"


def dataset_path() -> Path | None:
    """The names dataset: ./input.txt (set-up links it) or ../shared/input.txt."""
    for candidate in (ROOT / "input.txt", SHARED / "input.txt"):
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    """A private run cache per test, so tests neither see nor leave cached runs."""
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A user's folder: the tests run golfkit from here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def copy_program(name: str, folder: Path) -> Path:
    target = folder / name
    shutil.copyfile(PROGRAMS / name, target)
    return target


# The slow tier's modules go first, in this order, so the test workers (scheduled by module, in
# collection order) start them at once: the reference check on one worker while the chars build
# starts on the other, then the bytes build where the reference check was. Everything else follows
# and fills whichever worker is free.
SLOW_TIER_ORDER = ("test_slow_microgpt_reference.py", "test_slow_microgpt_chars.py", "test_slow_microgpt_bytes.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        name = item.path.name
        return SLOW_TIER_ORDER.index(name) if name in SLOW_TIER_ORDER else len(SLOW_TIER_ORDER)

    items.sort(key=rank)  # stable: the order within each rank is kept


_SESSION_STARTED = time.monotonic()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    counts = {kind: len(terminalreporter.stats.get(kind, ())) for kind in
              ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
    text = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    seconds = time.monotonic() - _SESSION_STARTED
    terminalreporter.write_line(f"golfkit tests: {text or 'none run'} in {seconds // 60:.0f} min {seconds % 60:.0f} s")
