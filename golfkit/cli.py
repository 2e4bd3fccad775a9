"""golfkit's command line. Every failure is one line on stderr and a distinct exit code."""

from __future__ import annotations

import difflib
import gc
import json
import os
import signal
import sys
import warnings
from pathlib import Path

import click
from rich.console import Console

from golfkit.cli_batch import is_batch, run_batch
from golfkit.cli_build import build_flags, case_flags, case_settings, sandbox_flag
from golfkit.errors import ExitCode, GolfkitError, Interrupted, UsageError
from golfkit.options import Options, load_settings, TARGETS, JUDGES
from golfkit.verify import REFERENCE_TIMEOUT

# Piped or logged output keeps whole table rows instead of an 80-column fold.
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
out_console = Console(width=None if sys.stdout.isatty() else 200)


def _settings() -> dict:
    return load_settings(Path.cwd())


def _options(settings: dict, **flags) -> Options:
    """Settings from pyproject.toml, overridden by the flags the user gave."""
    values = {key: value for key, value in settings.items() if key != "targets"}
    values.update({key: value for key, value in flags.items() if value is not None})
    return Options(**values)


def _run_options(settings: dict, **flags) -> Options:
    """``_options`` of a command that runs programs: sandboxed or not, as they say."""
    from golfkit.sandbox import notice_once, sandbox_runs

    options = _options(settings, **flags)
    sandbox_runs(options.sandbox)  # every run this command makes, the build's candidates included
    if options.sandbox:
        _after_success.append(notice_once)
    return options


# Notes a command gives once it has done its work (an error stays a single line).
_after_success: list = []


def _cache_flags(function):
    function = click.option("--no-cache", is_flag=True, help="Run everything again; ignore and keep the cache.")(function)
    function = click.option("--cache-dir", type=click.Path(path_type=Path), help="Cache folder (default: XDG cache).")(function)
    return function


def _run_flags(function):
    function = click.option("--data", "dataset", type=click.Path(path_type=Path), multiple=True, metavar="PATH",
                            help="A data file or folder copied into each run folder under its own name; repeat for "
                                 "several (default: [tool.golfkit] dataset, else ./input.txt, when present).")(function)
    function = click.option("--python", "python", help="Interpreter that runs the programs (default: this Python).")(function)
    function = click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                            help=f"Seconds per run (default: {REFERENCE_TIMEOUT / 60:.0f} min for a reference, "
                                 "3x the reference's time + 30 s for a candidate).")(function)
    function = click.option("--memory-limit", "memory_limit", type=click.IntRange(min=0), metavar="MB",
                            help="Address-space limit per run in MB (default: 4096; 0: none).")(function)
    function = click.option("--jobs", "-j", type=int, help="Runs at once (default: the core count).")(function)
    return _cache_flags(sandbox_flag(function))


def _dataset(options: Options, explicit: tuple[Path, ...]) -> tuple[Path, ...]:
    """The data paths every run folder holds: those given with --data, else the configured ones."""
    from golfkit.source import resolve_data

    return resolve_data(explicit or options.dataset, bool(explicit))


EXIT_CODES = """Exit codes: 0 done (verify/compare: identical); 1 different (verify/compare); 2 usage;
3 source missing, not UTF-8 or does not parse; 4 dataset or case file missing; 5 reference
crashed or was killed, reads input without cases, or is not deterministic; 6 a run exceeded its
time limit; 7 output folder not writable;
8 no result could be verified; 70 a bug in golfkit; 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="golfkit")
def cli():
    """golfkit: shrink a Python program to the shortest file that prints exactly the same log."""


@cli.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@build_flags
@case_flags
@_run_flags
def build(sources, target, out_dir, output, passes, skip, no_contract, no_pack, objective, judge, codecs, overrides, max_rounds,
          precheck_python, assume_no_input, bundle, harness, keep, search_seconds, no_search, seed, quick_set, as_json, quiet, all_rows, case_args, case_stdin, cases_file, require_clean,
          dataset, python, timeout, memory_limit, jobs, no_sandbox, no_cache, cache_dir):
    """Golf SOURCE (default: [tool.golfkit] source, else reference/microgpt.py), verifying every pass
    on every test case. Several SOURCES (or a folder: its Python files) are built side by side, each
    in <out-dir>/<name>/, with one summary; the exit status says whether all succeeded."""
    from golfkit.build import Builder
    from golfkit.cases import load_cases
    from golfkit.overrides import parse_assignment
    from golfkit.report import ConsoleListener, built_line, stage_table

    settings, case_values = case_settings(_settings(), case_args, case_stdin, cases_file, require_clean)
    targets = settings.get("targets") or ("chars",)
    options = _run_options(
        settings, **case_values, assume_no_input=True if assume_no_input else None, bundle=True if bundle else None,
        harness=harness, keep=tuple(keep) or None, search_seconds=0.0 if no_search else search_seconds, seed=seed,
        quick_set=tuple(quick_set) or None,
        source=sources[0] if len(sources) == 1 else None, target=target or targets[0], out_dir=out_dir,
        output=None if is_batch(sources) else output,
        passes=_names(passes), skip=_names(skip) if skip else None,
        contract=False if no_contract else None, pack=False if no_pack else None, objective=objective, judge=judge,
        codecs=_names(codecs), overrides=tuple(parse_assignment(item) for item in overrides) or None,
        max_rounds=max_rounds, python=python, precheck_python=precheck_python, timeout=timeout,
        memory_limit_mb=memory_limit, jobs=jobs, use_cache=False if no_cache else None, cache_dir=cache_dir,
        sandbox=False if no_sandbox else None,
    )
    data = _dataset(options, dataset)
    cases = load_cases(options, data)  # a bad case is a one-line error before the table starts
    if is_batch(sources):
        raise SystemExit(run_batch(options, sources, data, cases, output_given=output is not None, as_json=as_json,
                                   quiet=quiet, out_console=out_console, err_console=err_console))
    with ConsoleListener(err_console, quiet=quiet or as_json) as listener:
        builder = Builder(options, listener, data, cases=cases)
        outcome = builder.build()
    _note_discarded(*builder.stores)
    if as_json:
        click.echo(json.dumps(outcome.report, indent=2))
        return
    if not quiet:
        out_console.print(stage_table(outcome.report, all_rows=all_rows, width=out_console.width))
        click.echo(_next_steps(outcome.report, target_given=target is not None))
        click.echo(built_line(outcome.final_path, outcome.report))


def _next_steps(report: dict, target_given: bool) -> str:
    """How to look at each pass of this build (the flags that find its folder again)."""
    flags = "".join(f" --set {key}={value}" for key, value in (report.get("overrides") or {}).items())
    if target_given:
        flags = f" --target {report['target']}" + flags
    return (f"each pass: `golfkit report{flags}` (--all-rows: every row); "
            f"what one pass changed: `golfkit diff PASS{flags}`")


def _names(text: str | None):
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())


@cli.command(epilog=EXIT_CODES)
@click.argument("candidate", type=click.Path(path_type=Path))
@click.option("--reference", type=click.Path(path_type=Path),
              help="Reference program (default: [tool.golfkit] source, else reference/microgpt.py).")
@click.option("--expected", type=click.Path(path_type=Path),
              help="Compare with this stdout log instead of running a reference: stdout must equal it and the "
              "exit status be 0; stderr is not judged (a log holds none).")
@case_flags
@_run_flags
def verify(candidate, reference, expected, case_args, case_stdin, cases_file, require_clean, dataset, python, timeout,
           memory_limit, jobs, no_sandbox, no_cache, cache_dir):
    """Strict parity: exit 0 when CANDIDATE's stdout, stderr and exit status equal the reference's
    on every test case.

    A reference not cached yet runs side by side with the candidate, and both stop at the first
    differing line; the first case that differs stops the others."""
    from golfkit.cli_verify import verify_candidate
    from golfkit.runner import split_lines

    settings, case_values = case_settings(_settings(), case_args, case_stdin, cases_file, require_clean)
    options = _run_options(settings, **case_values, source=reference, python=python, timeout=timeout,
                       memory_limit_mb=memory_limit, jobs=jobs, use_cache=False if no_cache else None,
                       cache_dir=cache_dir, sandbox=False if no_sandbox else None)
    data = _dataset(options, dataset)
    verdict, cache = verify_candidate(candidate, options, data, expected, bool(case_args or case_stdin or cases_file))
    _note_discarded(cache)
    if verdict.identical:
        results = verdict.results or (verdict.result,)
        lines = sum(len(split_lines(result.stdout)) for result in results)
        on = f" on {len(results)} cases" if len(results) > 1 else ""
        click.echo(f"{candidate}: identical{on} ({lines} lines{', cached' if verdict.cached else ''})")
        if expected is not None and verdict.result.stderr:
            click.echo(f"{candidate}: note: it writes to stderr, which --expected does not judge", err=True)
        return
    click.echo(f"{candidate}: different: {verdict.reason}")
    sys.exit(ExitCode.DIFFERENT)


@cli.command()
@click.argument("programs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--reference", type=click.Path(path_type=Path), help="Reference program (default: the configured source).")
@click.option("--results", type=click.Path(path_type=Path), default=Path("run_results"), show_default=True,
              help="Folder for run_results/<timestamp>/.")
@_run_flags
def compare(programs, reference, results, dataset, python, timeout, memory_limit, jobs, no_sandbox, no_cache,
            cache_dir):
    """Run PROGRAMS and the reference; judge loss trace, samples and full log separately."""
    from rich.table import Table

    from golfkit.cache import RunCache
    from golfkit.compare import COLUMNS_EXPLAINED, compare as run_compare

    options = _run_options(_settings(), source=reference, python=python, timeout=timeout, memory_limit_mb=memory_limit,
                       jobs=jobs, use_cache=False if no_cache else None, cache_dir=cache_dir,
                       sandbox=False if no_sandbox else None)
    data = _dataset(options, dataset)
    cache = RunCache(options.cache_dir, enabled=options.use_cache)
    _check_writable(results)
    folder, rows = run_compare(list(programs), options.source, data=data, python=options.python,
                               jobs=options.jobs, cache=cache, timeout=options.timeout or REFERENCE_TIMEOUT,
                               memory_limit_mb=options.memory_limit_mb, results_root=results)
    table = Table(title=f"golfkit compare (reference {rows[0]['program']})", caption=COLUMNS_EXPLAINED)
    for column in ("program", "exit", "seconds", "ratio", "peak KiB", "bytes", "chars", "metadata",
                   "loss trace", "samples", "full log"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["program"], "timeout" if row["timed_out"] else str(row["exit_status"]),
                      f"{row['seconds']:.2f}", f"{row['runtime_ratio']}", str(row["peak_memory_kb"]),
                      str(row["source_bytes"]), str(row["source_chars"]), str(len(row["metadata"])),
                      _yes(row["loss_trace_match"]), _yes(row["sample_output_match"]), _yes(row["full_log_match"]))
    out_console.print(table)
    out_console.print(f"results in {folder}")
    if not all(row["full_log_match"] for row in rows):
        sys.exit(ExitCode.DIFFERENT)


def _check_writable(folder: Path) -> None:
    """Fail now, without making anything, when ``folder`` could not be made and written later."""
    existing = next(parent for parent in [folder, *folder.parents] if parent.exists() or parent == parent.parent)
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        reason = "not a folder" if existing.exists() and not existing.is_dir() else "permission denied"
        raise GolfkitError(f"{folder}: results folder not writable ({reason} at {existing}); choose another with "
                           "--results", ExitCode.OUTPUT)


def _note_discarded(*stores) -> None:
    discarded = sum(store.discarded for store in stores)
    if discarded:
        click.echo(f"golfkit: discarded {discarded} corrupt cache entries and computed those again", err=True)


def _yes(flag):
    from golfkit.compare import yes_no

    return {"yes": "[green]yes[/]", "no": "[red]no[/]"}.get(yes_no(flag), "[dim]n/a[/]")


def _build_folder(out_dir, target, overrides=()):
    """The build folder to read: the target's when named, else the most recent build's."""
    from golfkit.build import output_folder

    settings = _settings()
    folders = [output_folder(_options(settings, out_dir=out_dir, target=name, overrides=overrides or None))
               for name in ([target] if target else dict.fromkeys([*settings.get("targets", ()), *TARGETS]))]
    built = [folder for folder in folders if (folder / "report.json").is_file()]
    if built:
        return max(built, key=lambda folder: (folder / "report.json").stat().st_mtime)
    return folders[0]


_TARGET_HELP = "The build of this target (default: the most recent build)."


@cli.command()
@click.option("--target", type=click.Choice(TARGETS), help=_TARGET_HELP)
@click.option("--out-dir", type=click.Path(path_type=Path), help="Output folder (default: ./build).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Show the quick build made with these.")
@click.option("--all-rows", is_flag=True, help="Every row, those that changed nothing too.")
@click.option("--json", "as_json", is_flag=True)
def report(target, out_dir, overrides, all_rows, as_json):
    """Reprint the last build's table."""
    from golfkit.overrides import parse_assignment
    from golfkit.report import load_report, stage_table

    data = load_report(_build_folder(out_dir, target, tuple(parse_assignment(o) for o in overrides)))
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        out_console.print(stage_table(data, all_rows=all_rows, width=out_console.width))


@cli.command()
@click.argument("pass_name", metavar="PASS")
@click.option("--target", type=click.Choice(TARGETS), help=_TARGET_HELP)
@click.option("--out-dir", type=click.Path(path_type=Path), help="Output folder (default: ./build).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="The quick build made with these.")
def diff(pass_name, target, out_dir, overrides):
    """Show what PASS changed in the last build (its last application; for search, all its batches)."""
    from golfkit.overrides import parse_assignment
    from golfkit.passes import PASS_NAMES
    from golfkit.report import load_report

    stage_names = (*PASS_NAMES, "bundle", "search", "pack")
    if pass_name not in stage_names:
        raise UsageError(f"unknown pass {pass_name!r}: choose from {', '.join(stage_names)}")
    folder = _build_folder(out_dir, target, tuple(parse_assignment(o) for o in overrides))
    data = load_report(folder)
    stages = [s for s in data["stages"] if s["name"] == pass_name and s.get("file")]
    if not stages:
        click.echo(f"{pass_name}: made no change in the last build")
        return
    stage = stages[-1]
    # The search's batches are shown together: from the text it started on to its last batch.
    first = stages[0] if pass_name == "search" else stage
    earlier = [s for s in data["stages"] if s["step"] < first["step"] and s.get("file")
               and s["verdict"] in ("verified", "partial")]
    before_name = earlier[-1]["file"] if earlier else None
    before = (folder / before_name).read_text("utf-8") if before_name else _reference_text(data)
    after = (folder / stage["file"]).read_bytes().decode("utf-8", "replace")
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=before_name or data["source"], tofile=stage["file"])
    click.echo("".join(lines), nl=False)


def _reference_text(data: dict) -> str:
    from golfkit.overrides import apply_overrides
    from golfkit.source import read_source

    return apply_overrides(read_source(Path(data["source"])), tuple(data.get("overrides", {}).items()))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--target", type=click.Choice(TARGETS), default="chars", show_default=True)
@click.option("--judge", type=click.Choice(JUDGES), default="file", show_default=True)
@click.option("--codecs", help="Comma-separated codecs (zopfli,zlib,lzma,bz2,brotli).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Where to write (default: FILE.packed.py).")
def pack(file, target, judge, codecs, output):
    """Pack any Python file into the shortest self-extracting program for the target."""
    from golfkit.cache import atomic_write
    from golfkit.pack import pack as run_pack, sort_key
    from golfkit.source import read_source

    source = read_source(file)
    kwargs = {"codecs": _names(codecs)} if codecs else {}
    result = run_pack(source, target, judge, **kwargs)
    destination = output or file.with_name(file.stem + ".packed.py")
    try:
        atomic_write(destination, result.best.data)
    except OSError as error:
        raise GolfkitError(f"{destination}: cannot write ({error.strerror}); choose another --output", ExitCode.OUTPUT) from None
    # The table after the write: a failure is then the only thing on stderr.
    for candidate in sorted(result.candidates, key=sort_key(target)):
        mark = "*" if candidate is result.best else " "
        click.echo(f"{mark} {candidate.scheme:32} {candidate.chars:7d} chars {candidate.size_bytes:7d} bytes", err=True)
    click.echo(f"wrote {destination}: {result.best.chars} chars, {result.best.size_bytes} bytes ({result.best.scheme})")


@cli.command("passes")
@click.argument("name", required=False)
def passes_command(name):
    """List the passes in pipeline order, or show pass NAME in full."""
    from golfkit.passes import PASS_NAMES, load_pass

    if name is None:
        width = max(map(len, PASS_NAMES))
        for pass_name in PASS_NAMES:
            try:
                golf_pass = load_pass(pass_name)
            except GolfkitError as error:  # one pass that cannot load does not hide the others
                click.echo(f"{pass_name:{width}}  ?         {' '.join(error.message.splitlines())}")
                continue
            click.echo(f"{pass_name:{width}}  {golf_pass.safety.value:8}  {golf_pass.description}")
        return
    if name not in PASS_NAMES:
        raise UsageError(f"unknown pass {name!r}: choose from {', '.join(PASS_NAMES)}")
    golf_pass = load_pass(name)
    click.echo(f"{golf_pass.name}: {golf_pass.description}")
    click.echo(f"safety: {golf_pass.safety.value}")
    click.echo(f"why it is safe: {getattr(golf_pass, 'safety_statement', None) or 'not stated'}")
    example = golf_pass.example
    if example is None:
        click.echo("no example")
        return
    before, after = example
    click.echo("example, before:")
    click.echo(_indented(before))
    click.echo("after:")
    click.echo(_indented(after))


def _indented(text: str) -> str:
    return "".join(f"    {line}" for line in text.splitlines(keepends=True)).rstrip("\n")


@cli.group()
def cache():
    """Inspect or clear the cache (runs, traces, pass results and sites known to break)."""


@cache.command("clear")
@click.option("--cache-dir", type=click.Path(path_type=Path))
def cache_clear(cache_dir):
    import shutil

    from golfkit.cache import BrokenSiteStore, PassCache, RunCache

    folder = cache_dir or _settings().get("cache_dir")
    run_cache = RunCache(folder)
    runs, passes, broken = run_cache.clear(), PassCache(folder).clear(), BrokenSiteStore(folder).clear()
    for folder_made in (run_cache.traces_folder, run_cache.nondeterministic_folder):
        shutil.rmtree(folder_made, ignore_errors=True)
    click.echo(f"removed {runs} cached runs, {passes} cached pass results and the sites known to break "
               f"in {broken} programs")


@cache.command("path")
@click.option("--cache-dir", type=click.Path(path_type=Path))
def cache_path(cache_dir):
    """The cache folder (first line), then each of its parts."""
    from golfkit.cache import BrokenSiteStore, PassCache, RunCache

    folder = cache_dir or _settings().get("cache_dir")
    runs = RunCache(folder)
    click.echo(runs.root)
    parts = [("runs", runs.folder), ("pass results", PassCache(folder).folder), ("traces", runs.traces_folder),
             ("sites known to break", BrokenSiteStore(folder).folder),
             ("programs found not deterministic", runs.nondeterministic_folder)]
    for what, path in parts:
        click.echo(f"  {what}: {path}")


@cli.command()
@click.option("--cache-dir", type=click.Path(path_type=Path))
def doctor(cache_dir):
    """What this machine gives golfkit, one line each, with what to do when something is missing."""
    from golfkit.doctor import checks

    settings = _settings()
    for line in checks(cache_dir or settings.get("cache_dir"), settings.get("dataset", Options.dataset)):
        click.echo(line)


def entry():
    """The ``golfkit`` command as a process runs it: ``main``, then a quick exit."""
    try:
        main()
    finally:
        # What the command built is garbage now: the interpreter's last collection would walk it all
        # (0.1 s and more after a build) only to free memory the exit gives back anyway.
        gc.freeze()


def main(argv=None):
    from golfkit.runner import install_stop_handlers

    restore = install_stop_handlers()
    try:
        # golfkit compiles the user's program and its candidates; their SyntaxWarnings belong
        # to the program's runs (stderr is compared there), not to golfkit's output.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            _main(argv)
    finally:
        restore()


def _main(argv):
    _after_success.clear()  # a command before this one (in the same process) may have failed
    try:
        cli.main(args=argv, prog_name="golfkit", standalone_mode=False)
        while _after_success:
            note = _after_success.pop(0)()
            if note:
                err_console.print(note, markup=False, highlight=False)
    except (Interrupted, KeyboardInterrupt, click.exceptions.Abort) as error:
        if isinstance(error, Interrupted) and error.signal_number != signal.SIGINT:
            what, code = f"stopped by {signal.Signals(error.signal_number).name}", error.exit_code
        else:
            what, code = "interrupted", ExitCode.INTERRUPTED
        click.echo(f"golfkit: {what}; outputs left as they were, the cache is consistent", err=True)
        sys.exit(code)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitCode.USAGE)
    except GolfkitError as error:
        # One line whatever the message holds (e.g. a file name with a newline in it).
        message = " ".join(error.message.splitlines())
        click.echo(f"golfkit: error: {message}", err=True)
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)
    except FileNotFoundError as error:  # e.g. the --python interpreter does not exist
        click.echo(f"golfkit: error: {error}", err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as error:
        # A bug in golfkit: still one line and a distinct code; GOLFKIT_DEBUG=1 shows the traceback.
        if os.environ.get("GOLFKIT_DEBUG"):
            raise
        text = " ".join(str(error).splitlines())[:300]
        click.echo(f"golfkit: internal error: {type(error).__name__}: {text} (a bug in golfkit; "
                   "GOLFKIT_DEBUG=1 shows the traceback)", err=True)
        sys.exit(ExitCode.INTERNAL)
