"""golfkit's reliability cases: bad input, hostile programs, strict verdicts, interrupted builds.

Each case prepares a scratch folder (the user's folder ``work/`` and a private cache), runs the
installed ``golfkit`` command there and states what it must do: its exit code, a pattern its
one-line message matches, and any further check. Around every case the harness also makes sure
that

* nothing outside the build folder changed: the files of ``work/`` other than ``build/`` keep
  their bytes and times, and the cache gained only valid entries (a case that corrupts the cache
  on purpose expects its entries to be replaced by valid ones);
* no process started by the case is still alive (every run, and every child a run spawned);
* no run folder of the case is left in the temporary folder.

``bench/bad_inputs.py`` prints one line per case; ``tests/test_reliability.py`` makes one test of
each.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

# Every process a case starts inherits this variable, so its leftovers can be found in /proc.
MARKER = "GOLFKIT_RELIABILITY_CASE"
# Cheap passes for the cases that build, in order of preference; only those that load are used.
PREFERRED_PASSES = ("strip", "minify", "layout", "rename")


def golfkit_command() -> list[str]:
    """The installed ``golfkit``: beside this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name("golfkit")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("golfkit")
    if found:
        return [found]
    raise SystemExit("golfkit is not installed: run `pip install -e .` first")


def cheap_passes() -> str:
    """Up to two cheap passes that load now, comma-separated ("" when none: an empty pipeline)."""
    from golfkit.passes import load_pass

    names = []
    for name in PREFERRED_PASSES:
        try:
            load_pass(name)
        except Exception:  # a pass module that does not exist or import yet
            continue
        names.append(name)
    return ",".join(names[:2])


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    pid: int = 0
    problems: list[str] = field(default_factory=list)  # found while acting (e.g. interrupt timing)

    @property
    def usage_error(self) -> bool:
        return any(line.startswith("Error: ") for line in self.stderr.splitlines())

    @property
    def message(self) -> str:
        """The one line a user reads: the error line, or what a successful command printed last."""
        # A note on the machine (runs not sandboxed here) is neither the result nor an error.
        errors = [line for line in self.stderr.splitlines() if line.strip() and not line.startswith("note: ")]
        if self.usage_error:
            return next(line for line in errors if line.startswith("Error: "))
        if self.exit_code != 0 and errors:
            return errors[-1]
        out = [line for line in self.stdout.splitlines() if line.strip()]
        return (out or errors or ["(no output)"])[-1].strip()


@dataclass
class Scratch:
    """One case's folders: ``work`` (the user's folder, golfkit's working directory) and ``cache``."""

    root: Path
    golfkit: list[str]
    passes: str
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    saved: dict = field(default_factory=dict)  # what ``prepare`` keeps for ``check``

    def __post_init__(self):
        self.work.mkdir(parents=True, exist_ok=True)
        self.cache.mkdir(parents=True, exist_ok=True)

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def build(self) -> Path:
        return self.work / "build"

    def env(self) -> dict:
        env = dict(os.environ)
        env.pop("GOLFKIT_DEBUG", None)
        env["XDG_CACHE_HOME"] = str(self.cache)
        env[MARKER] = self.token
        return env

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def build_args(self, *args: str) -> list[str]:
        """``build`` with the cheap passes, unpacked, quiet unless asked otherwise."""
        return ["build", *args, f"--passes={self.passes}", "--no-pack"]

    def start(self, args: list[str]) -> subprocess.Popen:
        return subprocess.Popen([*self.golfkit, *args], cwd=self.work, env=self.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, args: list[str], timeout: float = 180) -> Outcome:
        process = self.start(args)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            return Outcome(-1, stdout, stderr, process.pid, [f"golfkit still running after {timeout:.0f} s"])
        return Outcome(process.returncode, stdout, stderr, process.pid)

    def processes(self, program: str | None = None) -> list[int]:
        """Live processes this case started; with ``program``, only runs of that file (the file
        name is a run's last argument, while golfkit's own arguments end with options), not the
        sandbox's processes around a run (bwrap's and the watcher's command lines end with it too,
        after a "--" or a "-c")."""
        found = []
        needle = f"{MARKER}={self.token}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if needle not in (entry / "environ").read_bytes():
                    continue
                argv = (entry / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state == "Z":
                continue
            around = b"--" in argv[:-1] or b"-c" in argv[:-1]
            if program is None or (argv[-1] == program.encode() and not around):
                found.append(int(entry.name))
        return found


@dataclass
class Case:
    name: str
    exit_code: int
    message: str  # a regular expression the one-line message must match
    prepare: Callable[[Scratch], list[str]]  # writes files (may build first); returns golfkit's arguments
    act: Callable[[Scratch, list[str]], Outcome] | None = None  # default: run golfkit once
    check: Callable[[Scratch, Outcome], list[str]] | None = None  # further problems, if any
    rewrites_cache: bool = False  # the case corrupts cache entries and expects them replaced
    group: str = "bad input"
    # Set while the case waits for a change in golfkit: what change (the case still runs and
    # reports FAIL until then; the tests mark it as an expected failure).
    pending: str | None = None


@dataclass
class Result:
    case: Case
    outcome: Outcome
    problems: list[str]
    outside_changed: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.outside_changed

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        changed = "yes" if self.outside_changed else "no"
        text = (f"{self.case.name:30} expected {self.case.exit_code:4d} got {self.outcome.exit_code:4d}  {verdict}  "
                f"{self.outcome.message}  | outside build folder changed: {changed}")
        for problem in [*self.problems, *self.outside_changed]:
            text += f"\n    - {problem}"
        if self.case.pending and not self.passed:
            text += f"\n    - pending: {self.case.pending}"
        return text


# -- snapshots ------------------------------------------------------------------------------------

# Run results and pass results: the two stores of checksummed entries.
_ENTRY = re.compile(r"golfkit/(runs|passes|nondeterministic)/[0-9a-f]{2}/[0-9a-f]{64}\.json")
# The executed lines of a probed run (a build traces a program that reads input to confirm it).
_TRACE = re.compile(r"golfkit/traces/[0-9a-f]{64}\.json")


def _tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in skip:
            continue
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            files[str(relative)] = (stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            files[str(relative) + "/"] = ("folder",)
    return files


def valid_entry(path: Path) -> bool:
    """A cache entry golfkit would trust: JSON whose checksum matches its body."""
    try:
        envelope = json.loads(path.read_text("utf-8"))
        body = envelope["body"]
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest() == envelope["checksum"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def valid_trace(path: Path) -> bool:
    """A trace golfkit would trust: a JSON list of line numbers."""
    try:
        lines = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(lines, list) and all(isinstance(line, int) for line in lines)


def _changes(scratch: Scratch, before: tuple[dict, dict], rewrites_cache: bool) -> list[str]:
    work_before, cache_before = before
    work_after, cache_after = _tree(scratch.work, skip=("build",)), _tree(scratch.cache)
    changes = []
    for name in sorted(set(work_before) | set(work_after)):
        if work_before.get(name) != work_after.get(name):
            what = "created" if name not in work_before else "removed" if name not in work_after else "modified"
            changes.append(f"work/{name} {what}")
    for name in sorted(set(cache_before) | set(cache_after)):
        if name.endswith("/"):
            continue
        if name not in cache_after:
            if not rewrites_cache:
                changes.append(f"cache entry {name} removed")
        elif name not in cache_before:
            if _TRACE.fullmatch(name):
                if not valid_trace(scratch.cache / name):
                    changes.append(f"trace {name} is not valid")
            elif not _ENTRY.fullmatch(name):
                changes.append(f"stray file in the cache: {name}")
        elif cache_before[name] != cache_after[name] and not rewrites_cache:
            changes.append(f"cache entry {name} modified")
        if name in cache_after and _ENTRY.fullmatch(name) and not valid_entry(scratch.cache / name):
            changes.append(f"cache entry {name} is not valid")
    return changes


def run_case(case: Case, scratch_root: Path, golfkit: list[str] | None = None, passes: str | None = None) -> Result:
    scratch = Scratch(scratch_root / case.name, golfkit or golfkit_command(),
                      cheap_passes() if passes is None else passes)
    args = case.prepare(scratch)
    before = _tree(scratch.work, skip=("build",)), _tree(scratch.cache)
    outcome = (case.act or (lambda s, a: s.run(a)))(scratch, args)
    problems = list(outcome.problems)
    problems += _left_running(scratch)
    if outcome.exit_code != case.exit_code:
        problems.append(f"exit code {outcome.exit_code}, expected {case.exit_code}; stderr: {outcome.stderr[-600:]!r}")
    if not re.search(case.message, outcome.message):
        problems.append(f"message does not match {case.message!r}")
    if "Traceback" in outcome.stderr:
        problems.append("a traceback on stderr")
    stderr_lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if outcome.exit_code == 1:  # verify and compare: "different" is a verdict on stdout, not an error
        if stderr_lines or len(outcome.stdout.splitlines()) != 1:
            problems.append(f"not a one-line verdict: {outcome.stdout[-300:]!r} {outcome.stderr[-300:]!r}")
    elif outcome.exit_code > 0 and not outcome.usage_error:
        if len(stderr_lines) != 1 or not stderr_lines[0].startswith("golfkit: "):
            problems.append(f"not a one-line message: {outcome.stderr[-600:]!r}")
    if outcome.pid:
        leftovers = list(Path(tempfile.gettempdir()).glob(f"golfkit-run-{outcome.pid}-*"))
        if leftovers and outcome.exit_code >= 0:
            problems.append(f"run folders left behind: {[p.name for p in leftovers]}")
    if case.check is not None:
        problems += case.check(scratch, outcome)
    problems += _left_running(scratch)
    return Result(case, outcome, problems, _changes(scratch, before, case.rewrites_cache))


def _left_running(scratch: Scratch, grace: float = 3.0) -> list[str]:
    deadline = time.monotonic() + grace
    while True:
        alive = scratch.processes()
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if not alive:
        return []
    for pid in alive:  # do not leave them running after reporting them
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return [f"processes still running after golfkit ended: {alive}"]


# -- programs -------------------------------------------------------------------------------------

GOOD = """\
# running totals
total = 0
for number in range(5):
    total += number
    print("running total", total)
"""

THREE_LINES = 'print("alpha")\nprint("beta")\nprint("gamma")\n'


def _ticker(lines: int, pause: float) -> str:
    """A program that prints a line every ``pause`` seconds, with a long docstring so that the
    packer finds a shorter form to verify (a run after the reference runs)."""
    manual = "\n".join(f"Line {i} of the manual: the ticker prints its count, then sleeps a little." for i in range(20))
    return (f'"""A ticker.\n\n{manual}\n"""\nimport time\n\nfor count in range({lines}):\n'
            f'    print("tick", count, flush=True)\n    time.sleep({pause})\n')


TICKER_FAST = _ticker(3, 0)
TICKER_SLOW = _ticker(12, 0.1)


def _source(text: str | bytes, *extra: str, name: str = "prog.py", command: str = "build"):
    def prepare(scratch: Scratch) -> list[str]:
        scratch.write(name, text)
        if command == "build":
            return [*scratch.build_args(name, "-q"), *extra]
        return [command, name, *extra]

    return prepare


def _unquiet(text: str, *extra: str):
    """A build of ``text`` that prints its table and the line saying what it wrote."""

    def prepare(scratch: Scratch) -> list[str]:
        scratch.write("prog.py", text)
        return [*scratch.build_args("prog.py"), *extra]

    return prepare


def _verify(reference: str | bytes, candidate: str | bytes, *extra: str):
    def prepare(scratch: Scratch) -> list[str]:
        scratch.write("reference.py", reference)
        scratch.write("candidate.py", candidate)
        return ["verify", "candidate.py", "--reference", "reference.py", *extra]

    return prepare


def _final_matches_source(source: str = "prog.py"):
    """The build wrote a final program that prints what the source prints."""

    def check(scratch: Scratch, outcome: Outcome) -> list[str]:
        finals = list(scratch.build.glob(f"*/{Path(source).stem}.py"))
        if len(finals) != 1:
            return [f"expected one final program, found {finals}"]
        expected = _run_python(scratch.work / source)
        actual = _run_python(finals[0], modules_from=scratch.work)
        if (actual.returncode, actual.stdout) != (expected.returncode, expected.stdout):
            return [f"the final program prints {actual.stdout[:200]!r}, the source {expected.stdout[:200]!r}"]
        return []

    return check


def _run_python(path: Path, modules_from: Path | None = None) -> subprocess.CompletedProcess:
    """Run a program in a fresh folder beside copies of ``modules_from``'s modules; its whole
    process group is stopped afterwards (a hostile program leaves children behind)."""
    with tempfile.TemporaryDirectory() as folder:
        for module in (modules_from or path.parent).glob("*.py"):
            shutil.copyfile(module, Path(folder, module.name))
        shutil.copyfile(path, Path(folder, path.name))
        # Files, not pipes: a child holding a pipe open would keep a reader waiting.
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            process = subprocess.Popen([sys.executable, path.name], cwd=folder, stdout=stdout, stderr=stderr,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                process.wait(timeout=60)
            finally:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
                process.wait()
            stdout.seek(0)
            stderr.seek(0)
            return subprocess.CompletedProcess(process.args, process.returncode, stdout.read(), stderr.read())


# -- the corrupt-cache case -----------------------------------------------------------------------


def _corrupt_cache(scratch: Scratch) -> list[str]:
    scratch.write("prog.py", GOOD)
    first = scratch.run(scratch.build_args("prog.py", "-q"))
    if first.exit_code != 0:
        raise RuntimeError(f"the first build failed: {first.stderr}")
    entries = sorted(scratch.cache.rglob("*.json"))
    damage = [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"\x00\xff" * 40,  # not even text
        lambda data: data.replace(b'"body": {', b'"body": {"damaged": 1, ', 1),  # checksum no longer fits
        lambda data: re.sub(rb'"key": "[0-9a-f]+"', b'"key": "' + b"0" * 64 + b'"', data),  # another run's entry
    ]
    for index, entry in enumerate(entries):
        entry.write_bytes(damage[index % len(damage)](entry.read_bytes()))
    scratch.saved["corrupted"] = len(entries)
    return scratch.build_args("prog.py")


def _check_recomputed(scratch: Scratch, outcome: Outcome) -> list[str]:
    problems = _final_matches_source()(scratch, outcome)
    match = re.search(r"discarded (\d+) corrupt", outcome.stderr)
    if not match or int(match.group(1)) != scratch.saved["corrupted"]:
        problems.append(f"expected {scratch.saved['corrupted']} entries discarded: {outcome.stderr[-300:]!r}")
    return problems


# -- hostile program ------------------------------------------------------------------------------


def _hostile(scratch: Scratch) -> list[str]:
    """A program split over two files that writes files, deletes every file it can see (its own
    copy and the module included) and leaves a child behind that would write into the user's
    folder a few seconds later."""
    late = scratch.work / "written-late.txt"
    scratch.write("helper.py", "GREETING = 'hello from the helper'\n")
    scratch.write("hostile.py", f"""\
import os
import subprocess
import sys

import helper

with open("scribble.txt", "w") as handle:
    handle.write("scribbled")
for name in sorted(os.listdir(".")):
    if os.path.isfile(name):
        os.remove(name)
child = "import time, pathlib; time.sleep(2); pathlib.Path({str(late)!r}).write_text('late')"
subprocess.Popen([sys.executable, "-c", child])
print(helper.GREETING)
print("files left:", sorted(os.listdir(".")))
""")
    scratch.saved["late"] = late
    return scratch.build_args("hostile.py")


def _check_hostile(scratch: Scratch, outcome: Outcome) -> list[str]:
    problems = _final_matches_source("hostile.py")(scratch, outcome)
    if scratch.saved["late"].exists():
        problems.append("a child of a run wrote into the user's folder")
    return problems


def escape_program(outside: Path, victim: Path, in_tmp: Path, port: int) -> str:
    """A program that, in a branch a mutant could take or leave, writes a file outside its run
    folder (an absolute path, and one under /tmp), deletes one, and connects to ``port`` on
    127.0.0.1; it prints what each attempt did (the same on every sandboxed run)."""
    return f"""\
import os
import socket


def attempt(action):
    try:
        action()
        return "done"
    except OSError as error:
        return type(error).__name__


total = sum(range(5))
if total > 3:
    print("write", attempt(lambda: open({str(outside)!r}, "w").write("escaped")))
    print("write /tmp", attempt(lambda: open({str(in_tmp)!r}, "w").write("escaped")))
    print("delete", attempt(lambda: os.remove({str(victim)!r})))
    print("connect", attempt(lambda: socket.create_connection(("127.0.0.1", {port}), timeout=5).close()))
print("total", total)
"""


def listening_socket() -> socket.socket:
    """A socket on a free port of 127.0.0.1 that accepts nothing by itself: ``accepted`` says
    whether anyone connected."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    return listener


def accepted(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def _escape(scratch: Scratch) -> list[str]:
    """The escaping program, built: its victim and target lie in the user's folder (which the
    harness checks), the /tmp file and the listening socket are checked after."""
    listener = listening_socket()
    in_tmp = Path("/tmp") / f"golfkit-escape-{scratch.token}.txt"
    scratch.write("keep.txt", "keep me\n")
    scratch.write("escape.py", escape_program(scratch.work / "escaped.txt", scratch.work / "keep.txt", in_tmp,
                                              listener.getsockname()[1]))
    scratch.saved.update(listener=listener, in_tmp=in_tmp)
    return scratch.build_args("escape.py")


def _check_escape(scratch: Scratch, outcome: Outcome) -> list[str]:
    problems = []
    listener, in_tmp = scratch.saved["listener"], scratch.saved["in_tmp"]
    if accepted(listener):
        problems.append("a run connected to a socket of the machine")
    listener.close()
    if in_tmp.exists():
        in_tmp.unlink()
        problems.append(f"a run wrote {in_tmp}")
    return problems


# -- interrupted builds ---------------------------------------------------------------------------


# The interrupted builds run no pass (an empty pipeline): after the two reference runs, the only
# run is the packed form's, so which runs a rerun makes again is known exactly (one fast codec).
# The runs these cases count are the target interpreter's: no pre-check interpreter beside them.
TICKER_BUILD = ["build", "ticker.py", "-q", "--passes=", "--codecs", "zlib", "--precheck-python", "none"]


def _previous_build(scratch: Scratch) -> list[str]:
    """A successful build of the fast ticker, then the slow ticker in its place."""
    scratch.write("ticker.py", TICKER_FAST)
    first = scratch.run([*TICKER_BUILD, "--no-pack"])
    if first.exit_code != 0:
        raise RuntimeError(f"the first build failed: {first.stderr}")
    folder = scratch.build / "chars"
    scratch.saved["outputs"] = {name: (folder / name).read_bytes() for name in ("ticker.py", "report.json")}
    scratch.write("ticker.py", TICKER_SLOW)
    return TICKER_BUILD


def _interrupt(number: int, runs_before_signal: int):
    """Start the build, wait until ``runs_before_signal`` runs of the program have started, then
    send signal ``number``."""

    def act(scratch: Scratch, args: list[str]) -> Outcome:
        process = scratch.start(args)
        seen: set[int] = set()
        deadline = time.monotonic() + 60
        while len(seen) < runs_before_signal and process.poll() is None and time.monotonic() < deadline:
            seen.update(scratch.processes("ticker.py"))
            time.sleep(0.02)
        problems = []
        if len(seen) < runs_before_signal:
            problems.append(f"only {len(seen)} runs started before the build ended; nothing to interrupt")
        time.sleep(0.3)
        process.send_signal(number)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            problems.append("golfkit did not stop within 30 s of the signal")
        return Outcome(process.returncode, stdout, stderr, process.pid, problems)

    return act


def _check_intact(scratch: Scratch, outcome: Outcome) -> list[str]:
    problems = []
    folder = scratch.build / "chars"
    for name, data in scratch.saved["outputs"].items():
        if (folder / name).read_bytes() != data:
            problems.append(f"build/chars/{name} changed")
    for leftover in [*scratch.build.rglob("*.tmp"), *scratch.cache.rglob(".tmp-*")]:
        problems.append(f"temporary file left: {leftover.name}")
    return problems


def _check_killed(scratch: Scratch, outcome: Outcome) -> list[str]:
    """After SIGKILL: outputs intact; the next golfkit sweeps the run folders and builds."""
    problems = _check_intact(scratch, outcome)
    again = scratch.run([*TICKER_BUILD, "--no-pack"])
    if again.exit_code != 0:
        problems.append(f"the build after the kill failed: {again.stderr[-300:]!r}")
    leftovers = list(Path(tempfile.gettempdir()).glob(f"golfkit-run-{outcome.pid}-*"))
    if leftovers:
        problems.append(f"run folders of the killed build never swept: {[p.name for p in leftovers]}")
    return problems


def _interrupted_build(scratch: Scratch) -> list[str]:
    """The previous build, then the slow build interrupted while verifying its packed form."""
    args = _previous_build(scratch)
    interrupted = _interrupt(signal.SIGINT, 3)(scratch, args)
    if interrupted.exit_code != 130 or interrupted.problems:
        raise RuntimeError(f"the interrupted build went wrong: {interrupted.exit_code} {interrupted.problems}")
    return args


def _resume(scratch: Scratch, args: list[str]) -> Outcome:
    """Rerun, telling the reference's runs (the run folder holds the source itself) from the
    candidates' runs: the reference runs finished before the interruption come from the cache."""
    process = scratch.start(args)
    programs: dict[int, bytes | None] = {}
    while process.poll() is None:
        for pid in scratch.processes("ticker.py"):
            if pid not in programs:
                try:
                    programs[pid] = Path(f"/proc/{pid}/cwd/ticker.py").read_bytes()
                except OSError:
                    programs[pid] = None
        time.sleep(0.02)
    stdout, stderr = process.communicate()
    scratch.saved["reference runs"] = sum(program == TICKER_SLOW.encode() for program in programs.values())
    scratch.saved["runs"] = len(programs)
    return Outcome(process.returncode, stdout, stderr, process.pid)


def _check_resumed(scratch: Scratch, outcome: Outcome) -> list[str]:
    problems = []
    if scratch.saved["reference runs"]:
        problems.append(f"the reference ran {scratch.saved['reference runs']} times again; its runs were cached")
    if scratch.saved["runs"] != 1:
        problems.append(f"{scratch.saved['runs']} runs made; expected 1: the interrupted packed form's")
    report = json.loads((scratch.build / "chars" / "report.json").read_text())
    if report["reference"]["lines"] != 12 or not report["final"]["verified"]:
        problems.append("the resumed build did not write the slow ticker's verified result")
    return problems


# -- the table ------------------------------------------------------------------------------------


def _write_blocker(scratch: Scratch, args: list[str]) -> list[str]:
    scratch.write("blocked", "a file where a folder should be\n")
    return args


CASES: list[Case] = [
    # 1. Clear errors, no tracebacks.
    Case("syntax-error", 3, r"^golfkit: error: prog\.py:2:\d+: syntax error: .*fix the program",
         _source("print('fine')\ndef broken(:\n    pass\n")),
    Case("syntax-error-with-warning", 3, r"^golfkit: error: prog\.py:2:\d+: syntax error",
         _source("print(1 is 1)\nprint(0x1for)\n")),
    Case("not-utf8", 3, r"prog\.py: not UTF-8 \(byte 10\); save the program as UTF-8",
         _source(b"print('caf\xe9')\n")),
    Case("missing-source", 3, r"nothere\.py: no such file", lambda s: s.build_args("nothere.py", "-q")),
    Case("missing-dataset", 4, r"names\.txt: dataset not found; pass an existing file or folder with --data",
         _source(GOOD, "--data", "names.txt")),
    Case("reference-crashes", 5, r"prog\.py exits with status 1: ValueError: no such month; an uncaught "
         r"exception's traceback shows line numbers that golfing changes: the reference must not end in one",
         _source("print('start')\nraise ValueError('no such month')\n")),
    Case("reference-exits-non-zero", 0, r"wrote build/chars/prog\.py",
         _unquiet("import sys\n# by design\nprint('start')\nsys.exit('stopped at the end')\n"),
         check=_final_matches_source()),
    Case("reference-exits-non-zero-require-clean", 5,
         r"prog\.py exits with status 3: \(no stderr\); --require-clean wants exit status 0 and nothing on stderr",
         _source("import sys\nprint('start')\nsys.exit(3)\n", "--require-clean")),
    Case("reference-killed", 5, r"prog\.py exits with status -9: killed by SIGKILL",
         _source("import os, signal\nprint('start', flush=True)\nos.kill(os.getpid(), signal.SIGKILL)\n")),
    Case("reference-reads-stdin", 5, r"prog\.py reads stdin \(input\(\) at line 1\) but no test case gives any "
         r"input: add cases with --case 'ARGS', --case-stdin FILE or --cases FILE, or pass --assume-no-input",
         _source("name = input('name? ')\nprint('hello', name)\n")),
    Case("reference-reads-stdin-assumed-none", 5, r"EOFError: EOF when reading a line; it reads stdin, but this "
         r"run's stdin is empty: give it with --case-stdin FILE",
         _source("name = input('name? ')\nprint('hello', name)\n", "--assume-no-input")),
    Case("reference-reads-arguments", 5, r"prog\.py reads its arguments \(sys\.argv at line 2\) but no test case",
         _source("import sys\nprint('hello', sys.argv[1])\n")),
    Case("missing-cases-file", 4, r"cases\.toml: no such cases file; give an existing TOML file with --cases FILE",
         _source(GOOD, "--cases", "cases.toml")),
    Case("cases-file-not-toml", 2, r"cases\.toml: invalid TOML \(",
         lambda s: (s.write("cases.toml", "[[case]\nargs = 1\n"), _source(GOOD, "--cases", "cases.toml")(s))[1]),
    Case("not-deterministic", 5, r"not deterministic: two runs differ at line 2: expected '[0-9a-f]+\\n', got",
         _source("import os\nprint('header')\nprint(os.urandom(8).hex())\n")),
    Case("not-deterministic-stderr", 5, r"not deterministic: two runs differ in stderr at line 1",
         _source("import os, sys\nprint('same')\nprint(os.urandom(4).hex(), file=sys.stderr)\n")),
    Case("reference-timeout", 6, r"prog\.py: still running after 1 s; raise --timeout",
         _source("print('start', flush=True)\nwhile True:\n    pass\n", "--timeout", "1")),
    Case("memory-limit", 5, r"ran out of memory under the 200 MB limit: raise --memory-limit",
         _source("block = bytearray(2 * 1024 ** 3)\nprint(len(block))\n", "--memory-limit", "200")),
    Case("output-folder-unwritable", 7, r"blocked/out/chars: output folder not writable.*--out-dir",
         lambda s: _write_blocker(s, _source(GOOD, "--out-dir", "blocked/out")(s))),
    Case("unknown-pass", 2, r"unknown pass 'nosuchpass': choose from",
         _source(GOOD, "--passes", "nosuchpass")),
    Case("unknown-target", 2, r"Invalid value for '--target'", _source(GOOD, "--target", "words")),
    Case("bad-timeout", 2, r"Invalid value for '--timeout'", _source(GOOD, "--timeout", "-1")),
    Case("corrupt-cache", 0, r"wrote build/chars/prog\.py", _corrupt_cache, check=_check_recomputed,
         rewrites_cache=True),
    Case("pack-not-utf8", 3, r"prog\.py: not UTF-8", _source(b"print('\xff')\n", command="pack")),
    Case("pack-syntax-error", 3, r"prog\.py:1:\d+: syntax error", _source("print('x'\n", command="pack")),
    Case("pack-missing-file", 3, r"nothere\.py: no such file", lambda s: ["pack", "nothere.py"]),
    Case("pack-unwritable-output", 7, r"blocked/x\.py: cannot write",
         lambda s: _write_blocker(s, _source(GOOD, "-o", "blocked/x.py", command="pack")(s))),
    Case("verify-missing-candidate", 3, r"nothere\.py: no such file",
         lambda s: (s.write("reference.py", GOOD), ["verify", "nothere.py", "--reference", "reference.py"])[1]),
    Case("compare-results-unwritable", 7, r"blocked/runs: results folder not writable.*--results",
         lambda s: _write_blocker(s, _source(GOOD, "--reference", "prog.py", "--results", "blocked/runs",
                                             command="compare")(s))),
    Case("verify-reference-crashes", 5, r"reference\.py exits with status 1: ValueError: broken",
         _verify("raise ValueError('broken')\n", GOOD)),
    Case("verify-reference-exits-non-zero", 1, r"different: exit status 0, expected 1",
         _verify(GOOD + "raise SystemExit('broken')\n", GOOD + "import sys\nprint('broken', file=sys.stderr)\n")),
    # 3. Isolation: fresh run folders, sibling modules copied, limits.
    Case("hostile-program", 0, r"wrote build/chars/hostile\.py", _hostile, check=_check_hostile, group="isolation"),
    # Runs are sandboxed: nothing outside their folder changes, no connection leaves them.
    Case("sandbox-escape", 0, r"wrote build/chars/escape\.py", _escape, check=_check_escape, group="sandbox"),
    # 4. Verdicts that cannot lie: bytes, stderr, status; truncation is never a match.
    Case("verdict-missing-final-newline", 1, r"stdout differs at line 1: expected 'x\\n', got 'x'",
         _verify("print('x')\n", "import sys\nsys.stdout.write('x')\n"), group="verdicts"),
    Case("verdict-crlf", 1, r"stdout differs at line 1: expected 'x\\n', got 'x\\r\\n'",
         _verify("print('x')\n", "import sys\nsys.stdout.buffer.write(b'x\\r\\n')\n"), group="verdicts"),
    Case("verdict-encoding", 1, r"stdout differs at line 1: expected 'café\\n', got b'caf\\xe9\\n'",
         _verify("print('caf\u00e9')\n", "import sys\nsys.stdout.buffer.write('caf\u00e9\\n'.encode('latin-1'))\n"),
         group="verdicts"),
    Case("verdict-stderr", 1, r"stderr differs at line 1: expected <end of output>, got 'note\\n'",
         _verify(THREE_LINES, THREE_LINES + "import sys\nprint('note', file=sys.stderr)\n"), group="verdicts"),
    Case("verdict-exit-status", 1, r"exit status 2, expected 0",
         _verify(THREE_LINES, THREE_LINES + "import sys\nsys.exit(2)\n"), group="verdicts"),
    Case("verdict-truncated", 1, r"line 3: expected 'gamma\\n', got <end of output>",
         _verify(THREE_LINES, 'print("alpha")\nprint("beta")\n'), group="verdicts"),
    Case("verdict-cut-by-timeout", 1, r"timed out after \d+ s",
         _verify(THREE_LINES, THREE_LINES + "while True:\n    pass\n", "--timeout", "1"), group="verdicts"),
    Case("verdict-carriage-return", 0, r"candidate\.py: identical \(2 lines\)",
         _verify("print('50%\\r100%')\nprint('done')\n", "print('50%\\r100%')\nprint('done')  # same\n"),
         group="verdicts"),
    # 2. Nothing lost: interrupted builds.
    Case("interrupt-sigint", 130, r"^golfkit: interrupted; outputs left as they were", _previous_build,
         act=_interrupt(signal.SIGINT, 3), check=_check_intact, group="interrupts"),
    Case("interrupt-sigterm", 143, r"^golfkit: stopped by SIGTERM; outputs left as they were", _previous_build,
         act=_interrupt(signal.SIGTERM, 1), check=_check_intact, group="interrupts"),
    Case("interrupt-sigkill", -9, r".*", _previous_build, act=_interrupt(signal.SIGKILL, 1),
         check=_check_killed, group="interrupts"),
    Case("resume-after-interrupt", 0, r"^\(no output\)$", _interrupted_build, act=_resume, check=_check_resumed,
         group="interrupts"),
]
