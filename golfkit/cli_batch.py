"""`golfkit build a.py b.py ...` (or a folder): the batch's command-line side (golfkit.batch builds)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from golfkit.batch import BatchResult, batch_exit_code, batch_options, build_many, programs_of, summary_rows
from golfkit.errors import UsageError
from golfkit.options import Options


def is_batch(sources: tuple[Path, ...]) -> bool:
    """Several programs, or a folder of them."""
    return len(sources) > 1 or any(source.is_dir() for source in sources)


def summary_table(results: list[BatchResult], target: str) -> Table:
    succeeded = sum(result.succeeded for result in results)
    table = Table(title=f"golfkit batch: {succeeded} of {len(results)} built and verified ({target})")
    for heading, justify in (("program", "left"), ("original", "right"), ("shipped", "right"),
                             ("ratio", "right"), ("verdict", "left")):
        table.add_column(heading, justify=justify, overflow="fold")
    for row in summary_rows(results, target):
        table.add_row(*row)
    return table


def run_batch(options: Options, sources: tuple[Path, ...], data: tuple[Path, ...], cases, *, output_given: bool,
              as_json: bool, quiet: bool, out_console: Console, err_console: Console) -> int:
    """Build every program the sources name; print the summary; the exit status to end with."""
    if output_given:
        raise UsageError("--output names one program's file: with several programs each is named after itself")
    programs = programs_of(sources)
    cores = options.jobs if options.jobs else (os.cpu_count() or 1)
    every = batch_options(options, programs, cores)

    def heard(result: BatchResult) -> None:
        if not (quiet or as_json):
            err_console.print(f"{result.program}: {result.verdict} ({result.seconds:.0f} s)", highlight=False)

    results = build_many(every, data, workers=cores, on_result=heard, cases=cases)
    if as_json:
        click.echo(json.dumps([{"program": str(r.program), "folder": str(r.folder), "original": r.original,
                                "shipped": r.shipped, "verified": r.succeeded, "error": r.error,
                                "seconds": round(r.seconds, 3)} for r in results], indent=2))
    else:
        out_console.print(summary_table(results, options.target))
    return batch_exit_code(results)
