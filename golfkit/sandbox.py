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
import shutil
import subprocess
import tempfile
import termios
import threading
from dataclasses import dataclass, replace
from pathlib import Path

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
    # A session of its own, so the run cannot reach golfkit's controlling terminal; see
    # ``release_terminal`` for the way that keeps golfkit's session.
    new_session: bool = True
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
               "--tmpfs", "/run",  # system sockets (D-Bus, databases, agents) live there
               # After the memory file systems, so a run folder under /tmp is bound inside them.
               "--bind", str(folder), str(folder)]
    for path in writable:
        command += ["--bind", path, path]
    # Without --cap-drop, root keeps every capability inside and could remount / read-write.
    command += ["--unshare-net", *namespaces, "--cap-drop", "ALL", "--die-with-parent"]
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
    key = (found, replace(sandbox, enabled=True, writable=()))
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
