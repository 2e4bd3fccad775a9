"""Packing ahead: the text a changing chain ends on is packed in a background process while the
next round's passes run; the forms are those the packer gives in-process, and a missing worker
only means packing in-process."""

from __future__ import annotations

from concurrent.futures import BrokenExecutor, Future

from golfkit.build import Builder
from golfkit.options import Options
from golfkit.pack import pack
from golfkit.pack import background
from golfkit.pack.stage import PackStage
from tests.passes_for_tests import DropFirstCommentPass

TEXT = "".join(f"print({i} * 'golfkit packs ahead', {i ** 2})\n" for i in range(40))
THREE_COMMENTS = "# one\n# two\n# three\nprint('kept')\n"


def forms_in_process(text: str, target: str, codecs: tuple[str, ...] = ("zlib",)) -> tuple:
    return PackStage(target, "file", codecs).forms(text).ordered


def test_a_text_packed_ahead_has_the_forms_packed_in_process():
    for target in ("chars", "bytes"):
        stage = PackStage(target, "file", ("zlib",))
        stage.pack_ahead(TEXT)
        assert stage.packing_ahead(TEXT) or not background.available()
        assert stage.forms(TEXT).ordered == forms_in_process(TEXT, target)


def test_the_background_pack_is_the_packers_own_result():
    future = background.pack_in_background(TEXT, "bytes", "file", ("zlib",))
    assert future is not None
    assert background.packed(future) == pack(TEXT, "bytes", "file", ("zlib",))


def test_without_a_worker_the_stage_packs_in_process(monkeypatch):
    monkeypatch.setattr("golfkit.pack.stage.pack_in_background", lambda *args: None)
    stage = PackStage("chars", "file", ("zlib",))
    stage.pack_ahead(TEXT)
    assert stage.forms(TEXT).ordered == forms_in_process(TEXT, "chars")


def test_a_worker_that_breaks_leaves_the_pack_to_this_process(monkeypatch):
    broken: Future = Future()
    broken.set_exception(BrokenExecutor("worker died"))
    monkeypatch.setattr("golfkit.pack.stage.pack_in_background", lambda *args: broken)
    monkeypatch.setattr(background, "_unavailable", False)  # restored after the test
    stage = PackStage("chars", "file", ("zlib",))
    stage.pack_ahead(TEXT)
    assert stage.forms(TEXT).ordered == forms_in_process(TEXT, "chars")
    assert not background.available()  # no later build waits on a broken worker


def test_a_later_text_supersedes_packs_not_started():
    stage = PackStage("chars", "file", ("zlib",))
    texts = [TEXT + f"print({n})\n" for n in range(6)]
    for text in texts:
        stage.pack_ahead(text)
    stage.cancel_ahead()
    assert not all(stage.packing_ahead(text) for text in texts[:-1])  # the worker takes one at a time
    assert stage.forms(texts[-1]).ordered == forms_in_process(texts[-1], "chars")


def test_a_build_packs_chain_ends_ahead_from_the_second_round_and_ships_the_same_file(workdir, cache_dir, monkeypatch):
    asked: list[str] = []
    original = PackStage.pack_ahead

    def noted(self, golfed):
        asked.append(golfed)
        original(self, golfed)

    monkeypatch.setattr(PackStage, "pack_ahead", noted)
    source = workdir / "prog.py"
    source.write_text(THREE_COMMENTS * 20)
    options = Options(source=source, out_dir=workdir / "build", cache_dir=cache_dir, jobs=2, max_rounds=3,
                      objective="raw")
    outcome = Builder(options, passes=[DropFirstCommentPass()]).build()
    stages = outcome.report["stages"]
    # Round 2's text was packed ahead when its chain ended (round 1's is rarely the result, and
    # round 3, the last allowed, has no next round to wait for).
    round_texts = [(outcome.folder / s["file"]).read_text() for s in stages
                   if s["verdict"] == "verified" and s["name"] == "drop-first-comment"]
    assert len(round_texts) == 3 and set(asked) == {round_texts[1]}
    shortest = forms_in_process(round_texts[-1], options.target, options.codecs)[0]
    assert outcome.final_path.read_bytes() == shortest.data
