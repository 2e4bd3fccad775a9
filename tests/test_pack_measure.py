"""The shipped measure: a cheap estimate of the packer's result, never below it, memoised."""

from pathlib import Path

import pytest

from golfkit.pack import pack
from golfkit.pack.measure import ShippedMeasure

CORPUS = Path(__file__).parent / "corpus"
SAMPLES = ["bigram_names.py", "classes_shapes.py"]


@pytest.mark.parametrize("target", ["chars", "bytes"])
@pytest.mark.parametrize("name", SAMPLES)
def test_the_measure_is_close_above_the_full_pack(target, name):
    text = (CORPUS / name).read_text()
    best = pack(text, target, "file").best
    full = best.chars if target == "chars" else best.size_bytes
    assert full <= ShippedMeasure(target)(text) <= full + max(3, full // 100)


def test_tiny_texts_measure_as_the_packer_ships_them():
    for text in ("print(1)\n", "print('hello, world')\n" * 3):
        for target in ("chars", "bytes"):
            best = pack(text, target, "file").best
            assert ShippedMeasure(target)(text) == (best.chars if target == "chars" else best.size_bytes)


def test_a_utf8_judge_never_measures_a_latin1_file():
    text = (CORPUS / SAMPLES[0]).read_text()
    assert ShippedMeasure("bytes", "stdin")(text) >= ShippedMeasure("bytes", "file")(text)


def test_each_text_is_measured_once():
    measure = ShippedMeasure("chars")
    text = (CORPUS / SAMPLES[0]).read_text()
    assert measure(text) == measure(text) and (measure.computed, measure.calls) == (1, 2)
    assert measure.describe() == "packed/chars/file/zopfli,zlib,lzma,bz2"
