"""Plugins found at run time: cmd_* functions via getattr(sys.modules[__name__]), __subclasses__(), atexit."""
import atexit
import sys

HOOKS = []  # a "constant" list that is filled in place later


def cmd_add(a, b):
    return int(a) + int(b)


def cmd_repeat(word, times):
    return " ".join([word] * int(times))


def cmd_help():
    # The command list is computed from the module's own function names.
    module = sys.modules[__name__]
    return ", ".join(sorted(name[4:] for name in vars(module) if name.startswith("cmd_")))


def run(line):
    name, *args = line.split()
    handler = getattr(sys.modules[__name__], "cmd_" + name, None)
    return handler(*args) if handler else f"unknown command {name!r}"


class Exporter:
    extension = None

    def export(self, rows):
        raise NotImplementedError


# Never referenced by name: found through Exporter.__subclasses__().
class CsvExporter(Exporter):
    extension = "csv"

    def export(self, rows):
        return "\n".join(",".join(map(str, row)) for row in rows)


class MarkdownExporter(Exporter):
    extension = "md"

    def export(self, rows):
        header, *body = rows
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in body])


def usage_text():
    return """Usage:
    plugin <command> [args]
        indented lines inside a string are data, not layout"""


@atexit.register
def goodbye():
    # Runs after the last statement: its output must stay at the very end.
    print(f"atexit: {len(HOOKS)} hooks ran")


for line in ["add 2 40", "repeat golf 3", "help", "frobnicate"]:
    result = run(line)
    HOOKS.append(line.split()[0])
    print(f"{line!r:>18} -> {result}")
rows = [("name", "score"), ("ada", 3), ("bob", 5)]
for exporter_class in sorted(Exporter.__subclasses__(), key=lambda cls: cls.extension):
    print(f"--- {exporter_class.extension} ({exporter_class.__name__})")
    print(exporter_class().export(rows))
print(usage_text())
print("hooks so far:", HOOKS)
