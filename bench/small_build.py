"""Wall time of a whole `golfkit build` of a small program that runs in a fraction of a second.

A small program's build is pass work, not run time: this is the figure that shows what the pass
machinery costs a user. By default the program is two corpus programs joined (about 5.6 KB, runs
in about 0.1 s); every build is cold (``--no-cache``), in a fresh process, as a user runs it:

    python bench/small_build.py                      # 3 builds of the default program
    python bench/small_build.py my_script.py --builds 5 -- --target bytes

Prints each build's command wall time (interpreter start-up and imports included) and the build's
own ``wall_seconds`` from its report, then the best and the median of each. Run it on an idle
machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PARTS = ("itertools_functools.py", "metaclass_descriptors.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program", type=Path, nargs="?", help="default: two corpus programs joined")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("flags", nargs="*", help="more `golfkit build` flags, after --")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="golfkit-bench-small-") as scratch:
        folder = Path(scratch)
        program = folder / "script.py"
        if args.program is None:
            program.write_text("".join((ROOT / "tests" / "corpus" / part).read_text("utf-8") for part in DEFAULT_PARTS))
        else:
            program.write_bytes(args.program.read_bytes())
        print(f"{program.name}: {len(program.read_bytes())} bytes, {args.builds} cold builds")
        commands, builds = [], []
        for number in range(1, args.builds + 1):
            out = folder / f"build-{number}"
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-m", "golfkit", "build", str(program), "--no-cache", "--json",
                                   "--out-dir", str(out), *args.flags], cwd=folder, capture_output=True, text=True)
            wall = time.monotonic() - started
            if done.returncode != 0:
                print(f"build {number} failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
                return 1
            report = json.loads(done.stdout)
            commands.append(wall)
            builds.append(report["wall_seconds"])
            print(f"build {number}: command {wall:.2f} s, build {report['wall_seconds']:.2f} s, "
                  f"{report['runs_made']} runs, shipped {report['final']['chars']} chars")
        print(f"command: best {min(commands):.2f} s, median {statistics.median(commands):.2f} s")
        print(f"build:   best {min(builds):.2f} s, median {statistics.median(builds):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
