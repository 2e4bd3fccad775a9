"""Sandboxed runs under bubblewrap: real programs run through ``wrap`` and what they can and cannot
reach; ``sandbox_status`` without bubblewrap, refused by the kernel, or without a PID namespace."""

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from golfkit.doctor import bubblewrap_line
from golfkit.sandbox import Sandbox, notice_once, sandbox_status, wrap
from tests.conftest import ROOT

STATUS = sandbox_status()
needs_bwrap = pytest.mark.skipif(not STATUS.available, reason=f"sandboxed runs cannot run here: {STATUS.detail}")
_tokens = itertools.count()


def run_sandboxed(folder: Path, source: str, *args: str, sandbox: Sandbox | None = None, python: str = sys.executable,
                  stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    (folder / "prog.py").write_text(source)
    argv = wrap([python, "prog.py", *args], folder, sandbox)
    assert argv[0] == STATUS.bwrap  # really sandboxed, not passed through
    return subprocess.run(argv, cwd=folder, stdin=stdin, capture_output=True, text=True, timeout=60)


@pytest.fixture
def sleep_token():
    """A `sleep` argument no other process on the machine uses, to find that sleeper in /proc;
    a sleeper a failed test leaves behind is stopped."""
    token = f"600.{os.getpid()}{next(_tokens)}"
    yield token
    for pid in live_processes(["sleep", token]):
        os.kill(pid, signal.SIGKILL)


def live_processes(argv: list[str]) -> list[int]:
    wanted = [part.encode() for part in argv]
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[:-1]
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue  # ended meanwhile
        if command == wanted and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def outside_folder():
    """A folder outside the run folder and outside /tmp and /run (which a sandboxed run does not
    see at all), so the run sees its files read-only."""
    for parent in (Path("/var/tmp"), Path.home(), ROOT):
        if os.access(parent, os.W_OK) and not parent.is_relative_to("/tmp") and not parent.is_relative_to("/run"):
            folder = Path(tempfile.mkdtemp(prefix="golfkit-sandbox-outside-", dir=parent))
            yield folder
            shutil.rmtree(folder, ignore_errors=True)
            return
    pytest.skip("no writable folder outside /tmp and /run")


@needs_bwrap
def test_writes_in_its_run_folder_and_a_private_empty_tmp(tmp_path):
    host_file = Path(tempfile.mkstemp(prefix="golfkit-sandbox-host-", dir="/tmp")[1])
    scratch = f"golfkit-sandbox-scratch-{os.getpid()}.txt"
    try:
        result = run_sandboxed(tmp_path, f"""
import os
open("in_folder.txt", "w").write("folder")
print(open("in_folder.txt").read())
open("/tmp/{scratch}", "w").write("tmp")
print(open("/tmp/{scratch}").read())
print(os.path.exists({str(host_file)!r}))
print(sorted(os.listdir("/tmp")))
""")
    finally:
        host_file.unlink()
    assert result.returncode == 0, result.stderr
    # /tmp holds only the scratch file and the way down to the run folder when it lies under /tmp.
    way_down = [tmp_path.relative_to("/tmp").parts[0]] if tmp_path.is_relative_to("/tmp") else []
    assert result.stdout.splitlines() == ["folder", "tmp", "False", str(sorted([scratch, *way_down]))]
    assert (tmp_path / "in_folder.txt").read_text() == "folder"
    assert not Path("/tmp", scratch).exists()


@needs_bwrap
def test_cannot_write_delete_or_rename_outside_its_run_folder(tmp_path, outside_folder):
    target = outside_folder / "kept.txt"
    target.write_text("original\n")
    before = target.stat()
    result = run_sandboxed(tmp_path, """
import os, sys
target = sys.argv[1]
print(open(target).read().strip())
attempts = {
    "write": lambda: open(target, "a").write("changed"),
    "delete": lambda: os.remove(target),
    "rename": lambda: os.rename(target, target + ".moved"),
    "create": lambda: open(os.path.join(os.path.dirname(target), "new.txt"), "w"),
}
for label, attempt in attempts.items():
    try:
        attempt()
        print(label, "succeeded")
    except OSError as error:
        print(label, "failed:", error.strerror)
""", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["original", "write failed: Read-only file system",
                                          "delete failed: Read-only file system",
                                          "rename failed: Read-only file system",
                                          "create failed: Read-only file system"]
    assert target.read_text() == "original\n" and target.stat().st_mtime_ns == before.st_mtime_ns
    assert [path.name for path in outside_folder.iterdir()] == ["kept.txt"]


@needs_bwrap
def test_cannot_regain_write_access_nor_change_kernel_settings(tmp_path):
    # Opening a kernel setting for writing without writing anything changes nothing even where
    # it is allowed; the remount asks for the sandbox's own view of / only.
    result = run_sandboxed(tmp_path, """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096
if libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND, None) == 0:
    print("remount succeeded")
else:
    print("remount failed:", os.strerror(ctypes.get_errno()))
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")))
try:
    os.close(os.open("/proc/sys/kernel/hostname", os.O_WRONLY))
    print("kernel setting opened for writing")
except OSError as error:
    print("kernel setting:", error.strerror)
""")
    assert result.returncode == 0, result.stderr
    remount, capabilities, kernel_setting = result.stdout.splitlines()
    assert remount == "remount failed: Operation not permitted" and capabilities == "0000000000000000"
    # Root is stopped by the read-only mount; any other user already by the file's permissions.
    assert kernel_setting in ("kernel setting: Read-only file system", "kernel setting: Permission denied")


@needs_bwrap
def test_cannot_reach_the_network_nor_see_the_hosts_interfaces(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        # 192.0.2.1 is reserved for documentation: no packet would go anywhere real.
        result = run_sandboxed(tmp_path, f"""
import errno, socket
for label, address in (("local", ("127.0.0.1", {port})), ("remote", ("192.0.2.1", 9))):
    try:
        socket.create_connection(address, timeout=5).close()
        print(label, "connected")
    except OSError as error:
        print(label, "failed:", errno.errorcode.get(error.errno, error))
print([name for _, name in socket.if_nameindex()])
""")
        with pytest.raises(TimeoutError):
            listener.accept()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["local failed: ECONNREFUSED", "remote failed: ENETUNREACH", "['lo']"]


@needs_bwrap
def test_is_killed_when_the_process_that_started_it_dies(tmp_path, sleep_token):
    starter = subprocess.Popen([sys.executable, "-c", """
import subprocess, sys, time
from pathlib import Path
from golfkit.sandbox import wrap
subprocess.Popen(wrap(["sleep", sys.argv[2]], Path(sys.argv[1])), stdin=subprocess.DEVNULL)
print("started", flush=True)
time.sleep(600)
""", str(tmp_path), sleep_token], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert starter.stdout.readline() == "started\n"
        assert wait_for(lambda: live_processes(["sleep", sleep_token])), "the sandboxed sleep never started"
    finally:
        starter.kill()
        starter.wait()
        starter.stdout.close()
    assert wait_for(lambda: not live_processes(["sleep", sleep_token])), "the sandboxed sleep outlived its starter"


@needs_bwrap
def test_killing_bwraps_process_group_stops_everything_inside(tmp_path, sleep_token):
    # The runner stops a run by killing the process group of the process it started.
    (tmp_path / "prog.py").write_text(f"import subprocess, time\nsubprocess.Popen(['sleep', '{sleep_token}'])\n"
                                      "time.sleep(600)\n")
    run = subprocess.Popen(wrap([sys.executable, "prog.py"], tmp_path), cwd=tmp_path, stdin=subprocess.DEVNULL,
                           process_group=0)
    try:
        assert wait_for(lambda: live_processes(["sleep", sleep_token])), "the program's child never started"
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    assert wait_for(lambda: not live_processes(["sleep", sleep_token])), "a process inside outlived the sandbox"


@needs_bwrap
@pytest.mark.skipif("--unshare-pid" not in STATUS.namespaces, reason="no PID namespace here")
def test_processes_a_run_leaves_behind_end_with_it(tmp_path, sleep_token):
    started = time.monotonic()
    program = f"import subprocess\nsubprocess.Popen(['sleep', '{sleep_token}'])\nprint('done')\n"
    result = run_sandboxed(tmp_path, program)
    assert result.stdout == "done\n" and time.monotonic() - started < 30  # stdout ended with the program
    assert not live_processes(["sleep", sleep_token])


SAME_RUN = """
import sys
words = open("data.txt").read().split()
print("words:", len(words), sorted(words)[:2])
print("stdin:", repr(sys.stdin.read()))
print("a warning", file=sys.stderr)
sys.exit(3)
"""


def plain_and_sandboxed(folder: Path, python: str):
    (folder / "data.txt").write_text("kim ann\nbob\n")
    (folder / "input").write_text("from stdin\n")
    (folder / "prog.py").write_text(SAME_RUN)
    results = []
    for argv in ([python, "prog.py"], wrap([python, "prog.py"], folder)):
        with open(folder / "input") as stdin:
            done = subprocess.run(argv, cwd=folder, stdin=stdin, capture_output=True, text=True, timeout=60)
        results.append((done.stdout, done.stderr, done.returncode))
    return results


@needs_bwrap
def test_ordinary_program_behaves_as_without_the_sandbox(tmp_path):
    plain, sandboxed = plain_and_sandboxed(tmp_path, sys.executable)
    assert plain == ("words: 3 ['ann', 'bob']\nstdin: 'from stdin\\n'\n", "a warning\n", 3)
    assert sandboxed == plain


@needs_bwrap
@pytest.mark.skipif(shutil.which("pypy3") is None, reason="pypy3 is not installed")
def test_pypy3_runs_sandboxed_as_without(tmp_path):
    plain, sandboxed = plain_and_sandboxed(tmp_path, shutil.which("pypy3"))
    assert plain[2] == 3 and plain[0].startswith("words: 3")
    assert sandboxed == plain


@needs_bwrap
def test_environment_passes_through_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("GOLFKIT_SANDBOX_CHECK", "kept as is")
    sandboxed = json.loads(run_sandboxed(tmp_path, "import os, json\nprint(json.dumps(dict(os.environ)))\n").stdout)
    plain = json.loads(subprocess.run([sys.executable, "prog.py"], cwd=tmp_path, capture_output=True).stdout)
    assert sandboxed["GOLFKIT_SANDBOX_CHECK"] == "kept as is"
    # bwrap alone sets PWD, to the folder it starts the program in.
    assert sandboxed.pop("PWD") == str(tmp_path)
    plain.pop("PWD", None)
    assert sandboxed == plain


@needs_bwrap
def test_a_folder_named_writable_is_visible_and_writable(tmp_path):
    extra = Path(tempfile.mkdtemp(prefix="golfkit-sandbox-extra-", dir="/tmp"))  # hidden by the private /tmp
    program = f"open({str(extra / 'out.txt')!r}, 'w').write('written')\n"
    try:
        hidden = run_sandboxed(tmp_path, program)
        assert hidden.returncode == 1 and "FileNotFoundError" in hidden.stderr
        shown = run_sandboxed(tmp_path, program, sandbox=Sandbox(writable=(extra,)))
        assert shown.returncode == 0, shown.stderr
        assert (extra / "out.txt").read_text() == "written"
    finally:
        shutil.rmtree(extra, ignore_errors=True)


TERMINAL_CHECK = """
import os, pty, subprocess, sys
from pathlib import Path
from golfkit.sandbox import Sandbox, release_terminal, wrap
probe = "import os\\ntry:\\n    os.close(os.open('/dev/tty', os.O_RDWR))\\n    print('reaches the terminal')\\n" \\
        "except OSError:\\n    print('no terminal')\\n"
pid, terminal = pty.fork()
if pid == 0:  # a session leader with the pseudo-terminal as its controlling terminal, like a shell
    cases = (("own session", Sandbox(), None), ("same session", Sandbox(new_session=False), None),
             ("same session, released", Sandbox(new_session=False), release_terminal))
    for label, sandbox, setup in cases:
        done = subprocess.run(wrap([sys.executable, "-c", probe], Path(sys.argv[1]), sandbox), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, process_group=0, preexec_fn=setup)
        print(f"{label}: {done.stdout.strip()}", flush=True)
    os._exit(0)
seen = b""
while True:
    try:
        chunk = os.read(terminal, 4096)
    except OSError:  # the terminal closed
        break
    if not chunk:
        break
    seen += chunk
os.waitpid(pid, 0)
sys.stdout.write(seen.decode().replace("\\r", ""))
"""


@needs_bwrap
def test_a_run_cannot_reach_golfkits_terminal(tmp_path):
    result = subprocess.run([sys.executable, "-c", TERMINAL_CHECK, str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.splitlines() == ["own session: no terminal", "same session: reaches the terminal",
                                          "same session, released: no terminal"], result.stderr


def test_without_bwrap_on_path_runs_are_unsandboxed_and_said_so_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = sandbox_status()
    assert not status.available and status.detail == "bubblewrap is not installed (bwrap not found on PATH)"
    assert wrap(["python3", "prog.py"], tmp_path) == ["python3", "prog.py"]
    assert notice_once() == "note: runs are not sandboxed: bubblewrap is not installed (bwrap not found on PATH)"
    assert notice_once() is None


def fake_bwrap(folder: Path, script: str) -> None:
    folder.mkdir()
    (folder / "bwrap").write_text("#!/bin/sh\n" + script)
    (folder / "bwrap").chmod(0o755)


def test_bwrap_refused_by_the_kernel_says_why_in_one_line(tmp_path, monkeypatch):
    fake_bwrap(tmp_path / "bin", "echo 'bwrap: No permissions to create new namespace, likely because the kernel "
                                 "does not allow non-privileged user namespaces.' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    status = sandbox_status()
    assert not status.available and "\n" not in status.detail
    assert status.detail == (f"{tmp_path / 'bin' / 'bwrap'} cannot make a sandbox here: No permissions to create new "
                             "namespace, likely because the kernel does not allow non-privileged user namespaces")
    assert wrap(["python3", "prog.py"], tmp_path) == ["python3", "prog.py"]
    assert notice_once() == f"note: runs are not sandboxed: {status.detail}"


@needs_bwrap
def test_without_a_pid_namespace_runs_are_still_sandboxed(tmp_path, monkeypatch):
    fake_bwrap(tmp_path / "bin", 'for arg; do\n  if [ "$arg" = --unshare-pid ]; then\n'
                                 '    echo "bwrap: Can\'t mount proc on /newroot/proc: Operation not permitted" >&2\n'
                                 f'    exit 1\n  fi\ndone\nexec {STATUS.bwrap} "$@"\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    status = sandbox_status()
    assert status.available and status.namespaces == ()
    assert "Can't mount proc on /newroot/proc" in status.detail and "\n" not in status.detail
    folder = tmp_path / "run"
    folder.mkdir()
    argv = wrap([sys.executable, "-c", "import socket; print([name for _, name in socket.if_nameindex()])"], folder)
    assert "--unshare-pid" not in argv and "--unshare-net" in argv
    result = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=60)
    assert result.stdout == "['lo']\n", result.stderr


def test_a_sandbox_turned_off_passes_the_command_through(tmp_path):
    off = Sandbox(enabled=False)
    assert wrap(["python3", "prog.py"], tmp_path, off) == ["python3", "prog.py"]
    assert notice_once(off) is None


@needs_bwrap
def test_the_root_folder_is_never_made_writable():
    with pytest.raises(ValueError):
        wrap(["true"], Path("/"))


def test_doctor_says_whether_sandboxed_runs_work_and_what_to_do(tmp_path, monkeypatch):
    if STATUS.available:
        assert bubblewrap_line() == f"bubblewrap: {STATUS.detail}"
        assert bubblewrap_line().startswith("bubblewrap: sandboxed runs work here")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert bubblewrap_line().startswith("bubblewrap: not installed: runs are not sandboxed")
    assert "`bash scripts/setup.sh` installs it" in bubblewrap_line()
    fake_bwrap(tmp_path / "bin", "echo 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    line = bubblewrap_line()
    assert line.startswith(f"bubblewrap: {tmp_path / 'bin' / 'bwrap'} cannot make a sandbox here: setting up uid map: "
                           "Permission denied: runs are not sandboxed; allow unprivileged user namespaces")


def golfkit_build(folder: Path, *args: str, path: str | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """A small `golfkit build` of ``folder/prog.py`` (one cheap pass, no packing) and its report."""
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"))
    if path is not None:
        env["PATH"] = path
    done = subprocess.run([sys.executable, "-m", "golfkit", "build", "prog.py", "--passes=strip", "--no-pack",
                           "--precheck-python", "none", "-q", *args], cwd=folder, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, done.stderr
    return done, json.loads((folder / "build" / "chars" / "report.json").read_text())


@needs_bwrap
def test_a_build_says_whether_its_runs_were_sandboxed(tmp_path):
    (tmp_path / "prog.py").write_text("# a comment\nprint('hi')\n")
    done, report = golfkit_build(tmp_path)
    assert report["sandboxed"] is True and report["unsandboxed_reason"] is None
    assert "not sandboxed" not in done.stderr
    done, report = golfkit_build(tmp_path, "--no-sandbox")
    assert report["sandboxed"] is False and "--no-sandbox" in report["unsandboxed_reason"]
    assert "not sandboxed" not in done.stderr  # turned off on purpose: no note
    (tmp_path / "pyproject.toml").write_text("[tool.golfkit]\nsandbox = false\n")
    done, report = golfkit_build(tmp_path)
    assert report["sandboxed"] is False


def test_a_build_without_bwrap_runs_unsandboxed_and_says_so_once(tmp_path):
    (tmp_path / "prog.py").write_text("# a comment\nprint('hi')\n")
    (tmp_path / "empty").mkdir()
    done, report = golfkit_build(tmp_path, path=str(tmp_path / "empty"))
    assert report["sandboxed"] is False and "bubblewrap is not installed" in report["unsandboxed_reason"]
    notes = [line for line in done.stderr.splitlines() if "not sandboxed" in line]
    assert notes == ["note: runs are not sandboxed: bubblewrap is not installed (bwrap not found on PATH)"]


def test_the_sandbox_setting_must_be_true_or_false(tmp_path):
    (tmp_path / "prog.py").write_text("print('hi')\n")
    (tmp_path / "pyproject.toml").write_text("[tool.golfkit]\nsandbox = \"no\"\n")
    done = subprocess.run([sys.executable, "-m", "golfkit", "build", "prog.py"], cwd=tmp_path, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2 and "[tool.golfkit] sandbox = 'no': expected true or false" in done.stderr
    assert "Traceback" not in done.stderr
