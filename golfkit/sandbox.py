"""Sandboxed runs: a program and its machine-made variants run under bubblewrap (``bwrap``).

A sandboxed run sees the whole file system read-only, except its run folder (bound read-write at
the same path) and any folder listed in ``Sandbox.writable``. It gets its own empty ``/tmp`` and
``/run`` (memory file systems private to the run, gone when it ends), a fresh ``/dev`` and
``/proc`` (kernel settings under ``/proc/sys`` read-only), its own network namespace holding only
a loopback interface of its own, its own PID, IPC and UTS namespaces where the kernel allows
them, no capabilities (root included), and it is killed when the process that started bwrap dies.
The environment (but ``PWD``, which bwrap sets to the run folder) and the inherited stdin, stdout
and stderr pass through unchanged and the run starts in its run folder, so the interpreter, which
lives under the read-only root, runs as it would outside.

``wrap(argv, run_folder)`` turns the command of a run into the sandboxed command, or returns it
unchanged when the sandbox is off or bubblewrap cannot run here; ``sandbox_status()`` says which,
in one line, and ``notice_once()`` gives that line once per process for golfkit to print.

What a runner must know about a sandboxed run:

- Scratch shared between golfkit and the program must live in the run folder or in a folder
  named in ``Sandbox.writable``: every other path is read-only, and golfkit's own ``/tmp`` and
  ``/run`` are not visible at all (e.g. a tracer wrapper written to a ``/tmp`` scratch folder).
  A ``TMPDIR`` pointing elsewhere than ``/tmp`` or those folders leaves the program no
  temporary folder.
- A program killed by signal N exits with status 128 + N (bwrap reports it so), not -N: a
  sandboxed run's status is not comparable with a plain run's, so cached runs must say which.
- ``os.wait4`` on the bwrap process gives bwrap's peak memory, not the program's: bwrap's outer
  process takes the exit status from its namespace's first process without reaping it. A memory
  limit set on bwrap (``RLIMIT_AS`` before exec) is inherited and still applies.
- With ``new_session`` (the default) the program runs in its own session and process group, so
  killing bwrap's process group kills bwrap only; the program and everything it started die
  with it (``--die-with-parent``, and the PID namespace ends with its first process). When the
  program exits, whatever it left running is killed too, and stdout reaches its end at once.
- A session of its own also puts the run in a scheduling group of its own where the kernel
  groups by session (autogroup). To keep runs in golfkit's session, use
  ``Sandbox(new_session=False)`` and call ``release_terminal()`` in the child before exec
  (e.g. in ``preexec_fn``): the run then cannot reach golfkit's terminal either, which is what
  the new session is for (writing to it, or pushing keystrokes into it with ``TIOCSTI``).
- Unix sockets in the file system outside ``/tmp`` and ``/run`` stay reachable (a read-only
  mount does not stop ``connect``); the network namespace stops everything else.
"""

from __future__ import annotations

import fcntl
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import termios
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from golfkit.errors import GolfkitError

# Namespaces a run gets where the kernel allows them; the network namespace is never optional.
OPTIONAL_NAMESPACES = ("--unshare-pid", "--unshare-ipc", "--unshare-uts")
PROBE_TIMEOUT = 10.0


@dataclass(frozen=True)
class Sandbox:
    """What a sandboxed run may see and do."""

    enabled: bool = True
    # Folders besides the run folder that the run may write, bound at their own path; each must
    # exist when the run starts.
    writable: tuple[Path, ...] = ()
    # Folders under /tmp or /run the run may read, bound read-only at their own path (e.g. an
    # interpreter installed there, which the private /tmp and /run would hide).
    readable: tuple[Path, ...] = ()
    # A session of its own, so the run cannot reach golfkit's controlling terminal; see
    # ``release_terminal`` for the way that keeps golfkit's session.
    new_session: bool = True
    # The command is the PID namespace's first process (it must reap what it starts, as
    # ``watched`` does) instead of bubblewrap's own reaper; only where there is a PID namespace.
    as_pid_1: bool = False
    bwrap: str = "bwrap"


@dataclass(frozen=True)
class SandboxStatus:
    """Whether sandboxed runs work here; ``detail`` says what they get, or why not, in one line."""

    available: bool
    detail: str
    bwrap: str | None = None  # the bwrap found on PATH
    namespaces: tuple[str, ...] = ()  # the optional namespaces that work here


def sandboxed_argv(argv: list[str], run_folder: Path, sandbox: Sandbox = Sandbox(),
                   namespaces: tuple[str, ...] = OPTIONAL_NAMESPACES, bwrap: str | None = None) -> list[str]:
    """``argv``, meant to run with the current folder ``run_folder``, as a bubblewrap command;
    built whether or not bubblewrap works here (``wrap`` checks that)."""
    folder = _checked_folder(run_folder)
    writable = [str(_checked_folder(path)) for path in sandbox.writable]
    command = [bwrap or sandbox.bwrap,
               "--ro-bind", "/", "/",
               "--dev", "/dev",
               "--proc", "/proc",
               # A uid 0 without capabilities may still write kernel settings on a fresh /proc.
               "--ro-bind", "/proc/sys", "/proc/sys",
               "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
               "--tmpfs", "/tmp",
               "--tmpfs", "/run"]  # system sockets (D-Bus, databases, agents) live there
    # After the memory file systems, so folders under /tmp are bound inside them.
    for path in map(str, map(_checked_folder, sandbox.readable)):
        command += ["--ro-bind", path, path]
    command += ["--bind", str(folder), str(folder)]
    for path in writable:
        command += ["--bind", path, path]
    # Without --cap-drop, root keeps every capability inside and could remount / read-write.
    command += ["--unshare-net", *namespaces, "--cap-drop", "ALL", "--die-with-parent"]
    if sandbox.as_pid_1 and "--unshare-pid" in namespaces:
        command.append("--as-pid-1")
    if sandbox.new_session:
        command.append("--new-session")
    return command + ["--chdir", str(folder), "--", *argv]


def _checked_folder(path: Path) -> Path:
    folder = Path(path).absolute()
    if folder == Path(folder.anchor):
        raise ValueError("a sandbox cannot make the root folder writable")
    return folder


_statuses: dict[tuple[str, Sandbox], SandboxStatus] = {}
_statuses_lock = threading.Lock()
_announced: set[str] = set()


def sandbox_status(sandbox: Sandbox = Sandbox()) -> SandboxStatus:
    """Whether bubblewrap can run ``sandbox``'s runs here, found by running a trivial command in
    it once per process (per bwrap and options); never raises."""
    found = shutil.which(sandbox.bwrap)
    if found is None:
        return SandboxStatus(False, f"bubblewrap is not installed ({sandbox.bwrap} not found on PATH)")
    key = (found, replace(sandbox, enabled=True, writable=(), readable=()))
    with _statuses_lock:
        if key not in _statuses:
            _statuses[key] = _probe(found, key[1])
        return _statuses[key]


def _probe(bwrap: str, sandbox: Sandbox) -> SandboxStatus:
    refusal = _refusal(bwrap, sandbox, OPTIONAL_NAMESPACES)
    if refusal is None:
        return SandboxStatus(True, f"sandboxed runs work here ({bwrap}): files outside the run folder read-only, "
                                   "no network, own processes", bwrap, OPTIONAL_NAMESPACES)
    if _refusal(bwrap, sandbox, ()) is None:
        return SandboxStatus(True, f"sandboxed runs work here ({bwrap}): files outside the run folder read-only, "
                                   f"no network; no own processes ({refusal}), so processes a run leaves behind "
                                   "outlive it", bwrap, ())
    return SandboxStatus(False, f"{bwrap} cannot make a sandbox here: {refusal}", bwrap)


def _refusal(bwrap: str, sandbox: Sandbox, namespaces: tuple[str, ...]) -> str | None:
    """None when a trivial command runs in the sandbox, else why not, in one line."""
    try:
        with tempfile.TemporaryDirectory(prefix="golfkit-sandbox-probe-") as folder:
            argv = sandboxed_argv(["true"], Path(folder), sandbox, namespaces, bwrap)
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"a trivial command did not finish within {PROBE_TIMEOUT:.0f} s"
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        return f"bwrap does not start: {getattr(error, 'strerror', None) or error}"
    if done.returncode == 0:
        return None
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return message[-1].removeprefix("bwrap: ").rstrip(".") if message else f"exit status {done.returncode}"


def wrap(argv: list[str], run_folder: Path, sandbox: Sandbox | None = None) -> list[str]:
    """``argv`` sandboxed for a run in ``run_folder`` (an existing folder, the run's current
    folder), or ``argv`` unchanged when ``sandbox`` is off or bubblewrap cannot run here."""
    sandbox = sandbox or Sandbox()
    if not sandbox.enabled:
        return list(argv)
    status = sandbox_status(sandbox)
    if not status.available:
        return list(argv)
    return sandboxed_argv(argv, run_folder, sandbox, status.namespaces, status.bwrap)


def notice_once(sandbox: Sandbox | None = None) -> str | None:
    """The one line to print when sandboxed runs were asked for but cannot run here, the first
    time it is asked for in this process; None otherwise."""
    sandbox = sandbox or Sandbox()
    if not sandbox.enabled:
        return None
    status = sandbox_status(sandbox)
    if status.available or status.detail in _announced:
        return None
    _announced.add(status.detail)
    return f"note: runs are not sandboxed: {status.detail}"


def release_terminal() -> None:
    """Give up the controlling terminal in a child about to exec a run that stays in golfkit's
    session (``Sandbox(new_session=False)``); call it in ``preexec_fn``. Does nothing in a
    session leader, whose giving up would hang up its whole session."""
    if os.getsid(0) == os.getpid():
        return
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return  # no controlling terminal: nothing to give up
    try:
        fcntl.ioctl(terminal, termios.TIOCNOTTY)
    except OSError:
        pass
    finally:
        os.close(terminal)


# How golfkit's runs are sandboxed: in golfkit's session (a session of their own would be a
# scheduling group of their own too), with the watcher as the PID namespace's first process.
RUN_SANDBOX = Sandbox(new_session=False, as_pid_1=True)
_runs_sandboxed = True  # --no-sandbox / ``sandbox = false`` turn it off for a whole command


def sandbox_runs(enabled: bool) -> None:
    """Whether runs that do not say otherwise are sandboxed in this process."""
    global _runs_sandboxed
    _runs_sandboxed = enabled


def runs_sandboxed_by_default() -> bool:
    return _runs_sandboxed


def run_sandbox(enabled: bool, writable: tuple[Path, ...] = (), programs: tuple[str, ...] = (),
                path: str | None = None) -> Sandbox | None:
    """The sandbox of a run asking for one (``enabled``), or None: not asked, or bubblewrap cannot
    run here (the run then goes unsandboxed; ``notice_once`` says so). ``programs`` (names looked
    up on ``path``, or paths) stay visible where they lie under /tmp or /run."""
    if not enabled or not sandbox_status(RUN_SANDBOX).available:
        return None
    readable = {folder for program in programs for folder in _installation(program, path)}
    return replace(RUN_SANDBOX, writable=tuple(writable), readable=tuple(sorted(readable)))


HIDDEN = (Path("/tmp"), Path("/run"))  # a sandboxed run's own, empty


def _installation(program: str, path: str | None) -> list[Path]:
    """The folders to show a run so that ``program`` starts, where it lies in a hidden folder:
    its folder, or the one above a ``bin`` folder (a virtual environment's pyvenv.cfg and
    libraries lie there), for the program as found and as its links resolve."""
    found = shutil.which(program, path=path)
    if found is None:
        return []
    folders = []
    for file in {Path(found).absolute(), Path(found).resolve()}:
        folder = file.parent
        if folder.name == "bin" and folder.parent not in HIDDEN:
            folder = folder.parent
        if any(hidden in folder.parents for hidden in HIDDEN):
            folders.append(folder)
    return folders


def unsandboxed_reason(enabled: bool) -> str | None:
    """Why runs asking for ``enabled`` go unsandboxed, in a few words; None when they do not."""
    if not enabled:
        return "turned off (--no-sandbox or sandbox = false)"
    status = sandbox_status(RUN_SANDBOX)
    return None if status.available else status.detail


class SandboxError(GolfkitError):
    """bubblewrap could not start a run (e.g. the interpreter lies under /tmp, which runs do not see)."""


# The first process of a sandboxed run: it starts the program, reaps whatever else ends in the
# namespace, and reports the program's own wait status and peak memory (wait4) on a file
# descriptor, since bwrap gives neither (a death by signal N becomes status 128 + N, and bwrap's
# wait4 figures are its own). In perl where it can (it starts in about 3 ms, Python in 15 to
# 20), with wait4 called by number; else in Python. Both report "status maxrss", or
# "error errno" when the program cannot start.
WATCHER_PERL = r"""
open(my $report, ">>&=", shift @ARGV) or exit 126;  # perl marks it close-on-exec
delete $ENV{PERL_BADLANG} if shift @ARGV;  # set only to keep perl's locale warnings quiet
my $pid = fork();
exit 126 unless defined $pid;
if ($pid == 0) {
    exec { $ARGV[0] } @ARGV;
    syswrite($report, "error " . ($! + 0) . "\n");
    exit 127;
}
my ($status, $usage, $done) = (pack("i", 0), "\0" x 144);
do { $done = syscall(WAIT4, -1, $status, 0, $usage) } until $done == $pid or ($done < 0 and $! != 4);
exit 126 unless $done == $pid;
$status = unpack("i", $status);
syswrite($report, $status . " " . unpack("x32 l!", $usage) . "\n");
exit(($status & 127) ? 128 + ($status & 127) : $status >> 8);
"""
# wait4's number where struct rusage is 64-bit (ru_maxrss at byte 32).
WAIT4_NUMBERS = {"x86_64": 61, "aarch64": 260, "riscv64": 260, "loongarch64": 260}

WATCHER_PYTHON = r"""
import os, signal, sys
report = int(sys.argv[1])
os.set_inheritable(report, False)
try:  # the environment exactly as given, before this interpreter's own locale coercion
    with open("/proc/self/environ", "rb") as handle:
        env = dict(item.split(b"=", 1) for item in handle.read().split(b"\0") if b"=" in item)
except OSError:
    env = os.environb
pid = os.fork()
if pid == 0:
    try:
        for number in (signal.SIGPIPE, signal.SIGXFSZ):  # ignored here, not by a plain run
            signal.signal(number, signal.SIG_DFL)
        os.execvpe(sys.argv[2], sys.argv[2:], env)
    except OSError as error:
        os.write(report, b"error %d\n" % error.errno)
    os._exit(127)
signal.signal(signal.SIGINT, signal.SIG_DFL)  # the first process ignores what it does not handle
while True:
    done, status, usage = os.wait4(-1, 0)
    if done == pid:
        break
os.write(report, b"%d %d\n" % (status, usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def watched(argv: list[str], run_folder: Path, sandbox: Sandbox, report: int,
            env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """``argv`` started by a watcher in ``sandbox``, and the environment to start it with; the
    watcher writes its report to the inherited file descriptor ``report`` (``watch_report``
    reads it) and gives the program ``env`` as it is."""
    status = sandbox_status(sandbox)
    perl = shutil.which("perl", path=env.get("PATH"))
    wait4 = WAIT4_NUMBERS.get(platform.machine())
    if perl and wait4 and sys.maxsize > 2 ** 32 and "PERL5OPT" not in env:
        quiet = "PERL_BADLANG" not in env
        watcher = [perl, "-e", WATCHER_PERL.replace("WAIT4", str(wait4)), "--", str(report), "1" if quiet else ""]
        env = {**env, "PERL_BADLANG": "0"} if quiet else env
    else:
        watcher = [sys.executable, "-I", "-S", "-c", WATCHER_PYTHON, str(report)]
    return sandboxed_argv([*watcher, *argv], run_folder, sandbox, status.namespaces, status.bwrap), env


@dataclass(frozen=True)
class WatchReport:
    status: int | None = None  # the program's wait status (os.waitstatus_to_exitcode reads it)
    peak_memory_kb: int = 0
    start_error: int | None = None  # errno: the program could not be started


def watch_report(file: IO[bytes]) -> WatchReport:
    """What the watcher wrote to ``file``; an empty report when it wrote nothing (it was killed,
    or bubblewrap did not start it)."""
    file.seek(0)
    report = WatchReport()
    for line in file.read().splitlines():
        words = line.split()
        if words[:1] == [b"error"] and len(words) == 2 and words[1].isdigit():
            report = replace(report, start_error=int(words[1]))
        elif len(words) == 2 and all(word.isdigit() for word in words):
            report = replace(report, status=int(words[0]), peak_memory_kb=int(words[1]))
    return report
