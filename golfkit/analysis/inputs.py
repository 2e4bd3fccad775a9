"""Where a program reads its input: stdin, its command-line arguments or the environment.

A build runs the program on its test cases only; a program that reads input and is given no case
would be golfed for an empty stdin and no arguments without anyone saying so. The reads are found
through imports and aliases (``import sys as s``, ``from sys import argv``), by qualified name:

- stdin: ``sys.stdin`` and ``sys.__stdin__`` (any attribute), the builtin ``input``, ``open(0)``
  (also ``io.open``, ``os.fdopen``, ``os.read`` of descriptor 0) and the paths ``/dev/stdin``,
  ``/dev/fd/0``, ``/proc/self/fd/0``;
- arguments: ``sys.argv``, ``sys.orig_argv``, ``argparse``, ``getopt``, ``optparse``, ``fileinput``
  (which reads the files its arguments name, else stdin);
- environment: ``os.environ``, ``os.environb``, ``os.getenv``, ``os.getenvb`` (assigning to or
  deleting an entry reads nothing).

``from m import *`` of one of these modules counts as a read where it stands. The finding errs
on the side of "reads": a name bound to one of these counts wherever it is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from golfkit.analysis.facts import ProgramFacts, facts_for

STDIN, ARGUMENTS, ENVIRONMENT = "stdin", "its arguments", "the environment"

# Qualified names (and everything under them) that read input, with what they read.
READERS = {
    "sys.stdin": STDIN,
    "sys.__stdin__": STDIN,
    "builtins.input": STDIN,
    "sys.argv": ARGUMENTS,
    "sys.orig_argv": ARGUMENTS,
    "argparse": ARGUMENTS,
    "getopt": ARGUMENTS,
    "optparse": ARGUMENTS,
    "fileinput": ARGUMENTS,
    "os.environ": ENVIRONMENT,
    "os.environb": ENVIRONMENT,
    "os.getenv": ENVIRONMENT,
    "os.getenvb": ENVIRONMENT,
    "posix.environ": ENVIRONMENT,
}
# Calls that read stdin when their first argument is the descriptor 0.
DESCRIPTOR_OPENERS = frozenset({"builtins.open", "io.open", "os.fdopen", "os.read", "codecs.open"})
STDIN_PATHS = frozenset({"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
# What a program must spell for a qualified name to reach a reader: the module imported, or the
# builtin's own name. A program spelling none of them reads nothing by name, and its scopes need
# not be resolved to say so.
READER_MODULES = frozenset(qualified.split(".")[0] for qualified in (*READERS, *DESCRIPTOR_OPENERS))
READER_BUILTINS = frozenset(qualified.split(".")[1] for qualified in (*READERS, *DESCRIPTOR_OPENERS)
                            if qualified.startswith("builtins."))
# Modules whose star import binds a reader.
STAR_MODULES = {"sys": STDIN, "os": ENVIRONMENT, "posix": ENVIRONMENT, "fileinput": ARGUMENTS,
                "argparse": ARGUMENTS, "getopt": ARGUMENTS, "optparse": ARGUMENTS}


@dataclass(frozen=True, order=True)
class InputRead:
    """One place that reads input: its first line, what it names, and which input that is."""

    line: int
    what: str  # e.g. "sys.stdin", "input()", "open(0)"
    kind: str  # STDIN, ARGUMENTS or ENVIRONMENT

    def describe(self) -> str:
        return f"{self.what} at line {self.line}"


def input_reads(source: str) -> tuple[InputRead, ...]:
    """Every place ``source`` reads stdin, its arguments or the environment, in line order (one
    finding per line and reader); nothing when it does not parse."""
    facts = facts_for(source)
    if facts is None:
        return ()
    found: set[InputRead] = set()
    vocabulary = facts.vocabulary
    if vocabulary.modules & READER_MODULES or vocabulary.names & READER_BUILTINS:
        for node in facts.nodes(cst.Name, cst.Attribute):
            reader = _reader(facts, node)
            if reader is not None and not _written_only(facts, node):
                name, kind = reader
                found.add(InputRead(facts.line(node), "input()" if name == "builtins.input" else name, kind))
        for call in facts.nodes(cst.Call):
            if _opens_descriptor_zero(facts, call):
                found.add(InputRead(facts.line(call), "open(0)", STDIN))
    for string in facts.nodes(cst.SimpleString):
        if string.evaluated_value in STDIN_PATHS:
            found.add(InputRead(facts.line(string), string.evaluated_value, STDIN))
    for statement in facts.nodes(cst.ImportFrom):
        module = statement.module
        if isinstance(statement.names, cst.ImportStar) and module is not None and not statement.relative:
            name = cst.Module([]).code_for_node(module)
            if name in STAR_MODULES:
                found.add(InputRead(facts.line(statement), f"from {name} import *", STAR_MODULES[name]))
    # One finding per line and reader: ``sys.stdin.read`` is one read of ``sys.stdin``.
    return tuple(sorted(found))


def _reader(facts: ProgramFacts, node: cst.CSTNode) -> tuple[str, str] | None:
    """The reader ``node`` names (its table entry and kind), for the outermost node naming it."""
    parent = facts.parent(node)
    if isinstance(parent, cst.Attribute) and parent.value is node and _reader(facts, parent) is not None:
        return None  # the enclosing attribute reports the read
    for qualified in facts.qualified_names(node):
        for name, kind in READERS.items():
            if qualified == name or qualified.startswith(name + "."):
                return name, kind
    return None


def _written_only(facts: ProgramFacts, node: cst.CSTNode) -> bool:
    """``os.environ[k] = v`` and ``del os.environ[k]``: the environment is written, not read."""
    subscript = facts.parent(node)
    if not (isinstance(subscript, cst.Subscript) and subscript.value is node):
        return False
    holder = facts.parent(subscript)
    if isinstance(holder, cst.AssignTarget):
        return True
    return isinstance(holder, cst.Del)


def _opens_descriptor_zero(facts: ProgramFacts, call: cst.Call) -> bool:
    if not DESCRIPTOR_OPENERS & facts.qualified_names(call.func):
        return False
    first = next((arg for arg in call.args if arg.keyword is None and arg.star == ""), None)
    if first is None:
        first = next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value in ("file", "fd")),
                     None)
    return first is not None and isinstance(first.value, cst.Integer) and first.value.evaluated_value == 0
