import os
import shutil
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
