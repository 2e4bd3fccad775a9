"""Batch builds: several programs, each built in a folder of its own, sharing the machine's cores.

``golfkit build a.py b.py`` (or a folder: the Python files directly in it) builds every program
as ``golfkit build`` builds one, each in ``<out-dir>/<stem>/`` (a stem that two programs share
gets its parent folder's name in front). Builds run side by side in worker processes, at most one
per core, and the cores are split between them (``--jobs`` for each build is the share). One
build's failure is that program's row of the summary, never the end of the others; the exit
status says whether every build succeeded.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from golfkit.errors import ExitCode, GolfkitError, SourceError
from golfkit.options import Options


@dataclass(frozen=True)
class BatchResult:
    """One program's outcome."""

    program: Path
    folder: Path
    original: int  # the source's size in the target's unit
    shipped: int | None  # the final file's size in the target's unit; None when the build failed
    error: str | None = None  # the one-line reason a build failed
    exit_code: int = 0
    seconds: float = 0.0

    @property
    def succeeded(self) -> bool:
        return self.error is None

    @property
    def ratio(self) -> float | None:
        return None if self.shipped is None or not self.original else self.shipped / self.original

    @property
    def verdict(self) -> str:
        return "verified" if self.succeeded else f"failed: {self.error}"


def programs_of(paths: Iterable[Path]) -> list[Path]:
    """The programs named: files as given, folders as the ``.py`` files directly in them (sorted);
    each program once. A path that does not exist, or a folder with no Python file, is an error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(child for child in path.glob("*.py") if child.is_file())
            if not inside:
                raise SourceError(f"{path}: no Python file in this folder")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError(f"{path}: no such file or folder")
    unique: dict[Path, Path] = {}
    for program in found:
        unique.setdefault(program.resolve(), program)
    return list(unique.values())


def folder_names(programs: list[Path]) -> dict[Path, str]:
    """Each program's folder name under the output folder: its stem, or ``<parent>-<stem>`` (then a
    number) when stems repeat, so no two builds share a folder."""
    stems: dict[str, int] = {}
    for program in programs:
        stems[program.stem] = stems.get(program.stem, 0) + 1
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for program in programs:
        name = program.stem if stems[program.stem] == 1 else f"{program.resolve().parent.name}-{program.stem}"
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}-{number}", number + 1
        taken.add(candidate)
        names[program] = candidate
    return names


def batch_options(options: Options, programs: list[Path], cores: int) -> list[Options]:
    """The options of each program's build: its source, its own output folder, a share of the cores,
    and a final file named after the program (one ``output`` name cannot suit several programs)."""
    names = folder_names(programs)
    workers = max(1, min(len(programs), cores))
    share = max(1, cores // workers)
    return [dataclasses.replace(options, source=program, out_dir=options.out_dir / names[program], jobs=share,
                                output=None)
            for program in programs]


def build_one(options: Options, data: tuple[Path, ...], cases: tuple | None = None) -> BatchResult:
    """One program's build in this process, its failure caught as its result."""
    from golfkit.build import Builder
    from golfkit.sizes import byte_count, char_count

    started = time.perf_counter()
    program = options.source
    try:
        text = program.read_text(encoding="utf-8")
        original = char_count(text) if options.target == "chars" else byte_count(text)
    except (OSError, UnicodeDecodeError):
        original = 0
    folder = options.out_dir
    try:
        outcome = Builder(options, data=data, cases=cases).build()
    except GolfkitError as error:
        return BatchResult(program, folder, original, None, str(error).splitlines()[0], int(error.exit_code),
                           time.perf_counter() - started)
    except Exception as error:  # a bug in golfkit on one program must not end the others
        return BatchResult(program, folder, original, None, f"internal error: {type(error).__name__}: {error}",
                           int(ExitCode.INTERNAL), time.perf_counter() - started)
    final = outcome.report["final"]
    shipped = final["chars"] if options.target == "chars" else final["bytes"]
    return BatchResult(program, outcome.folder, original, shipped, None, 0, time.perf_counter() - started)


def build_many(options_list: list[Options], data: tuple[Path, ...] = (), workers: int | None = None,
               on_result: Callable[[BatchResult], None] | None = None, cases: tuple | None = None) -> list[BatchResult]:
    """Every build, up to ``workers`` at a time in worker processes (one build: in this process);
    results in the order of ``options_list``. ``on_result`` hears each as it ends; every program is
    verified on the same ``cases`` (None: each reads its cases from its options)."""
    workers = max(1, min(len(options_list), workers or os.cpu_count() or 1))
    results: dict[int, BatchResult] = {}
    if workers == 1:
        for index, options in enumerate(options_list):
            results[index] = build_one(options, data, cases)
            if on_result is not None:
                on_result(results[index])
        return [results[index] for index in range(len(options_list))]
    # Spawned, not forked: each build starts threads and process pools of its own.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as executor:
        futures = {executor.submit(build_one, options, data, cases): index for index, options in enumerate(options_list)}
        try:
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception as error:  # the worker process itself died
                    options = options_list[index]
                    results[index] = BatchResult(options.source, options.out_dir, 0, None,
                                                 f"the build's process ended: {type(error).__name__}",
                                                 int(ExitCode.INTERNAL))
                if on_result is not None:
                    on_result(results[index])
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [results[index] for index in range(len(options_list))]


def summary_rows(results: list[BatchResult], target: str) -> list[tuple[str, str, str, str, str]]:
    """The summary table's rows: program, original size, shipped size, ratio, verdict."""
    unit = "chars" if target == "chars" else "bytes"
    rows = []
    for result in results:
        ratio = "" if result.ratio is None else f"{result.ratio:.1%}"
        shipped = "" if result.shipped is None else f"{result.shipped:,} {unit}"
        rows.append((str(result.program), f"{result.original:,} {unit}", shipped, ratio, result.verdict))
    return rows


def batch_exit_code(results: list[BatchResult]) -> int:
    """0 when every build succeeded; else the failed builds' common exit code, or 8 (no result) when they differ."""
    codes = {result.exit_code for result in results if not result.succeeded}
    if not codes:
        return 0
    return codes.pop() if len(codes) == 1 else int(ExitCode.BUILD)
