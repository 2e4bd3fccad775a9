"""The flags of `golfkit build`, and the test-case flags it shares with `golfkit verify`."""

from __future__ import annotations

from pathlib import Path

import click

from golfkit.options import JUDGES, OBJECTIVES, TARGETS

def _apply(function, options):
    for option in reversed(options):
        function = option(function)
    return function


def sandbox_flag(function):
    """--no-sandbox, among the run flags of build, verify and compare."""
    return click.option("--no-sandbox", "no_sandbox", is_flag=True,
                        help="Run programs without the bubblewrap sandbox (default: sandboxed where bubblewrap "
                             "works; [tool.golfkit] sandbox = false).")(function)


def build_flags(function):
    """The options of `golfkit build` besides the run, cache and case flags."""
    return _apply(function, [
        click.option("--target", type=click.Choice(TARGETS),
                     help="Optimise characters or UTF-8 bytes (default: the first of [tool.golfkit] targets, "
                          "else chars)."),
        click.option("--out-dir", type=click.Path(path_type=Path), help="Output folder (default: ./build)."),
        click.option("--output", metavar="NAME",
                     help="The final file's name in build/<target> (default: [tool.golfkit] output, else "
                          "SOURCE's stem + .py)."),
        click.option("--passes", help="Comma-separated passes to run (default: all; see `golfkit passes`)."),
        click.option("--skip", help="Comma-separated passes to leave out (default: none)."),
        click.option("--no-contract", is_flag=True, help="Leave out passes valid only under the verified run."),
        click.option("--no-pack", is_flag=True,
                     help="Stop before packing: the unpacked verified program is the result."),
        click.option("--objective", type=click.Choice(OBJECTIVES),
                     help="Keep a stage when the shipped (packed) file or the raw text shrinks (default: shipped)."),
        click.option("--judge", type=click.Choice(JUDGES),
                     help="How the packed file will be run: as a file or piped on stdin (default: file)."),
        click.option("--codecs",
                     help="Comma-separated codecs for the packer (default: zopfli,zlib,lzma,bz2; also brotli)."),
        click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                     help="Override a module-level constant first (a quick build; never the real result)."),
        click.option("--max-rounds", type=int, help="Pipeline rounds at most; they stop at the first round that saves nothing (default: 5)."),
        click.option("--precheck-python", metavar="auto|none|PATH",
                     help="Faster interpreter that judges intermediate candidates (default: auto: pypy3 when "
                          "installed, reproduces the reference's log and runs it faster; none: off). The final "
                          "and packed files are always verified under --python."),
        click.option("--assume-no-input", is_flag=True,
                     help="Golf a program that reads stdin, its arguments or the environment without any case: "
                          "for an empty stdin and no arguments (the report says so)."),
        click.option("--bundle", is_flag=True,
                     help="Golf SOURCE and the local modules it imports as one file that runs alone (default: "
                          "only SOURCE is golfed; its modules ship as they are)."),
        click.option("--harness", type=click.Path(path_type=Path), metavar="FILE",
                     help="A program that imports (or execs) SOURCE and prints what it observes: every run runs "
                          "FILE with the candidate beside it as SOURCE's file (default: SOURCE runs itself)."),
        click.option("--keep", multiple=True, metavar="NAME",
                     help="A module-level name the harness uses: it keeps its spelling, definition and "
                          "signature; repeat for several."),
        click.option("--search-seconds", type=click.FloatRange(min=0), metavar="S",
                     help="Search for S seconds after the passes: mutations kept when a full run verifies them "
                          "(a contract stage; default: [tool.golfkit] search_seconds, else 0, no search)."),
        click.option("--no-search", is_flag=True, help="No search stage, whatever the settings say."),
        click.option("--seed", type=int, help="The seed of the searches: the name search's moves and the search stage's trials (default: 0)."),
        click.option("--quick-set", "quick_set", multiple=True, metavar="NAME=VALUE",
                     help="The search's quick oracle: each mutant first runs with this constant lowered, against "
                          "the reference under the same override (e.g. num_steps=30; default: none, each mutant's "
                          "own full run screens it)."),
        click.option("--json", "as_json", is_flag=True, help="Print the report as JSON."),
        click.option("--quiet", "-q", is_flag=True, help="No live table or progress bars."),
        click.option("--all-rows", is_flag=True, help="Show every row of the table, those that changed nothing too."),
    ])


def case_flags(function):
    """--case, --case-stdin, --cases and --require-clean."""
    return _apply(function, [
        click.option("--case", "case_args", multiple=True, metavar="ARGS",
                     help="A test case: these command-line arguments, split as a shell would; repeat for "
                          "several (all case flags add up)."),
        click.option("--case-stdin", type=click.Path(path_type=Path), multiple=True, metavar="FILE",
                     help="A test case whose stdin is FILE's bytes; repeat for several."),
        click.option("--cases", "cases_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="A TOML file of [[case]] tables, each with name (optional), args (a list, or one "
                          "string split as a shell would), stdin (text) or stdin_file (a path relative to the "
                          "file), files (copied into the run folder) (default: [tool.golfkit] cases; any case "
                          "flag replaces it)."),
        click.option("--require-clean", is_flag=True,
                     help="Refuse a reference that exits non-zero or writes to stderr (default: both are "
                          "behaviour to reproduce)."),
    ])


def case_settings(settings: dict, case_args: tuple, case_stdin: tuple, cases_file: Path | None,
                  require_clean: bool) -> tuple[dict, dict]:
    """The settings to start from and the Options values the case flags give: any case flag
    replaces the configured cases file, as --data replaces the configured dataset."""
    given = bool(case_args or case_stdin or cases_file)
    if given:
        settings = {key: value for key, value in settings.items() if key != "cases_file"}
    values = {"case_args": tuple(case_args) or None, "case_stdin": tuple(case_stdin) or None,
              "cases_file": cases_file, "require_clean": True if require_clean else None}
    return settings, values
