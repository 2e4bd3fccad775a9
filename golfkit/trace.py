"""Which lines of a program one run executes: the run facts behind contract pruning.

The program runs as ``python`` in the caller's folder (with its dataset), under a small runner
that records line numbers of the program's own file and writes them out at exit.

- On Python 3.12+ the runner uses ``sys.monitoring``: each line reports once and is then disabled,
  so the set is exact and the run keeps nearly its plain speed.
- Before 3.12 it uses ``sys.settrace`` with per-code-object saturation: a code object's frames
  are traced until it has been entered ``saturation`` times in a row without revealing a new line,
  then its frames run untraced. A line first reached after that is missed, so within hot
  functions the set is an *under-approximation*. That is safe only because every pruned result
  is re-verified for full-log parity; pruning should prefer module-level code (the module frame
  runs once and is traced throughout) and functions never entered at all (exact: their first
  call is always traced).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from golfkit.errors import ExitCode, GolfkitError, RunTimeout

# Entries of one code object without a new line after which its frames go untraced.
SATURATION = 64

_RUNNER = r'''
import atexit, json, os, runpy, sys, threading

program, output, saturation = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sys.argv = [program]
sys.path[0] = os.path.dirname(program)
lines = set()


def write():
    stop()
    with open(output, "w") as handle:
        json.dump(sorted(lines), handle)


monitoring = getattr(sys, "monitoring", None)
if monitoring is not None:
    tool = next(t for t in range(6) if monitoring.get_tool(t) is None)
    monitoring.use_tool_id(tool, "golfkit-trace")

    def on_line(code, line):
        if code.co_filename == program:
            lines.add(line)
        return monitoring.DISABLE

    monitoring.register_callback(tool, monitoring.events.LINE, on_line)
    monitoring.set_events(tool, monitoring.events.LINE)

    def stop():
        monitoring.set_events(tool, 0)
else:
    tracers = {}  # code object -> its line tracer, or None once saturated (or foreign)

    def tracer_for(code):
        quiet = [0]  # entries since the last new line

        def trace_lines(frame, event, arg):
            if event == "line":
                line = frame.f_lineno
                if line not in lines:
                    lines.add(line)
                    quiet[0] = 0
            elif event == "return":
                quiet[0] += 1
                if quiet[0] >= saturation:
                    tracers[code] = None
            return trace_lines

        return trace_lines

    def on_call(frame, event, arg):
        code = frame.f_code
        try:
            return tracers[code]
        except KeyError:
            tracer = tracer_for(code) if code.co_filename == program else None
            tracers[code] = tracer
            return tracer

    sys.settrace(on_call)
    threading.settrace(on_call)

    def stop():
        sys.settrace(None)
        threading.settrace(None)

# Registered first, so it runs last: after the program's own exit handlers.
atexit.register(write)
runpy.run_path(program, run_name="__main__")
'''


class TraceError(GolfkitError):
    exit_code = ExitCode.REFERENCE


def executed_lines(
    source: str,
    workdir: Path,
    python: str = sys.executable,
    timeout: float | None = None,
    saturation: int = SATURATION,
) -> frozenset[int]:
    """1-based line numbers of ``source`` executed by one run of it as ``python prog.py`` with
    ``workdir`` as the current folder. Raises TraceError if the run fails, RunTimeout if slow."""
    with tempfile.TemporaryDirectory(prefix="golfkit-trace-") as scratch:
        folder = Path(scratch)
        program = (folder / "prog.py").resolve()
        program.write_text(source, encoding="utf-8")
        runner = folder / "trace_runner.py"
        runner.write_text(_RUNNER, encoding="utf-8")
        output = folder / "lines.json"
        command = [python, str(runner), str(program), str(output), str(saturation)]
        try:
            run = subprocess.run(
                command,
                cwd=workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise RunTimeout(f"tracing the program took longer than {timeout:g} s; raise --timeout")
        if run.returncode != 0 or not output.exists():
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            raise TraceError(f"the traced run failed (exit {run.returncode}):\n{tail}")
        return frozenset(json.loads(output.read_text()))
