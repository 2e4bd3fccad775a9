"""`golfkit passes`: every pass in pipeline order, or one in full."""

import subprocess
import sys

from click.testing import CliRunner

from golfkit.cli import cli
from golfkit.errors import ExitCode, UsageError
from golfkit.passes import PASS_NAMES, load_pass


def test_lists_every_pass_in_pipeline_order_with_its_safety_class():
    result = CliRunner().invoke(cli, ["passes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == list(PASS_NAMES)
    strip = load_pass("strip")
    assert any(line.split()[1:] == [strip.safety.value, *strip.description.split()] for line in lines)
    assert "contract" in lines[PASS_NAMES.index("contract-prune")].split()


def test_shows_one_pass_in_full():
    strip = load_pass("strip")
    result = CliRunner().invoke(cli, ["passes", "strip"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"strip: {strip.description}\nsafety: safe\n")
    assert " ".join(strip.safety_statement.split()) in " ".join(result.output.split())
    if strip.example is None:
        assert result.output.rstrip().endswith("no example")
    else:
        assert "example, before:" in result.output


def test_shows_the_example_pair(monkeypatch):
    from golfkit.passes.strip import StripPass

    monkeypatch.setattr(StripPass, "example", ("x = 1  # one\nprint(x)\n", "x = 1\nprint(x)\n"))
    result = CliRunner().invoke(cli, ["passes", "strip"])
    assert "example, before:\n    x = 1  # one\n    print(x)\nafter:\n    x = 1\n    print(x)\n" in result.output


def test_an_unknown_pass_is_a_one_line_usage_error():
    result = CliRunner().invoke(cli, ["passes", "no-such-pass"])
    assert isinstance(result.exception, UsageError)
    command = subprocess.run([sys.executable, "-m", "golfkit", "passes", "no-such-pass"], capture_output=True,
                             text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert command.returncode == ExitCode.USAGE == 2
    assert command.stdout == "" and len(command.stderr.splitlines()) == 1
    assert command.stderr.startswith("golfkit: error: unknown pass 'no-such-pass'")
