"""What the name search saves on a build's stage texts.

    python bench/name_search.py [BUILD_FOLDER] [--seed N] [--workers N] [--out DIR]

Two measures. The rename stage: the text before ``NN-rename.py`` renamed with the raw-shortest
names and with the search scored by zopfli (deflate sizes, search time). The final text (the last
stage before packing), renamed again as a later round would, with the search scored by the packed
size of each target (what a packing build passes as ``shipped_size``), packed with and without.
The renamed final texts are written to --out, for ``golfkit verify`` against the final text.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from golfkit.pack import pack
from golfkit.passes.base import PassContext
from golfkit.passes.rename import RenamePass
from golfkit.rename import SearchSettings
from golfkit.rename.search import zopfli_size

RENAME = RenamePass()


def stage_files(folder: Path) -> list[Path]:
    """The numbered stage texts in step order, the packed file left out."""
    files = [p for p in folder.glob("[0-9]*-*.py") if not p.name.endswith("-pack.py")]
    return sorted(files, key=lambda p: int(p.name.split("-")[0]))


def packed_size(text: str, target: str) -> int:
    best = pack(text, target).best
    return best.chars if target == "chars" else best.size_bytes


def timed(function, *args):
    began = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="build/chars-set-num_steps=20", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("/tmp/name_search"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    settings = {"name_search": True, "seed": args.seed}
    if args.workers:
        settings["name_search_workers"] = args.workers
    print(f"search: {SearchSettings.of(settings)}")

    files = stage_files(args.folder)
    rename_at = next(i for i, p in enumerate(files) if re.fullmatch(r"\d+-rename\.py", p.name))
    before = files[rename_at - 1].read_text()
    plain = RENAME.run(before, PassContext())
    searched, seconds = timed(RENAME.run, before, PassContext(settings=settings))
    print(f"rename stage ({files[rename_at - 1].name}): raw {len(plain)} -> {len(searched)} chars; "
          f"zopfli deflate {zopfli_size(plain)} -> {zopfli_size(searched)} bytes; search {seconds:.1f} s")

    final_file = files[-1]
    final = final_file.read_text()
    plain = RENAME.run(final, PassContext())
    for target in ("bytes", "chars"):
        context = PassContext(target=target, shipped_size=lambda text, t=target: packed_size(text, t),
                              settings=settings)
        searched, seconds = timed(RENAME.run, final, context)
        (args.out / f"renamed-{target}.py").write_text(searched)
        print(f"final text ({final_file.name}), {target}: zopfli deflate {zopfli_size(plain)} -> "
              f"{zopfli_size(searched)} bytes; packed {packed_size(plain, target)} -> "
              f"{packed_size(searched, target)} {target}; search {seconds:.1f} s "
              f"(written to {args.out / f'renamed-{target}.py'})")


if __name__ == "__main__":
    main()
