"""User-facing errors: one line of text and a distinct exit code, never a traceback."""


class ExitCode:
    OK = 0
    DIFFERENT = 1  # verify/compare: the candidate's log differs
    USAGE = 2  # bad command line, unknown pass or target
    SOURCE = 3  # source missing, not UTF-8, or does not parse
    DATASET = 4  # dataset or a test case's file missing or unreadable
    REFERENCE = 5  # reference crashed or was killed, reads input without cases, or is not deterministic
    TIMEOUT = 6  # a run exceeded its time limit
    OUTPUT = 7  # output folder not writable
    BUILD = 8  # the build could not verify any result
    INTERNAL = 70  # a bug in golfkit itself (EX_SOFTWARE)
    HANGUP = 129  # SIGHUP: the terminal went away
    INTERRUPTED = 130  # SIGINT (Ctrl-C)
    TERMINATED = 143  # SIGTERM (kill)


class GolfkitError(Exception):
    """An error the user can act on: ``message`` names the file and the fix."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class SourceError(GolfkitError):
    exit_code = ExitCode.SOURCE


class DatasetError(GolfkitError):
    exit_code = ExitCode.DATASET


class ReferenceError_(GolfkitError):
    exit_code = ExitCode.REFERENCE


class ReferenceRunsVoid(GolfkitError):
    """The target's reference did not log what the pre-check interpreter's stand-in did: what was
    judged against the stand-in counts for nothing (a build then starts over without it)."""

    exit_code = ExitCode.REFERENCE

    def __init__(self):
        super().__init__("the target's reference run does not log what the pre-check interpreter's did")


class RunTimeout(GolfkitError):
    exit_code = ExitCode.TIMEOUT


class OutputError(GolfkitError):
    exit_code = ExitCode.OUTPUT


class UsageError(GolfkitError):
    exit_code = ExitCode.USAGE


class Interrupted(BaseException):
    """A signal stopped golfkit. A BaseException, like KeyboardInterrupt, so no ``except Exception``
    swallows it; not a KeyboardInterrupt, so click does not turn it into its own Abort."""

    def __init__(self, signal_number: int, exit_code: int):
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.exit_code = exit_code
