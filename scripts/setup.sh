#!/usr/bin/env bash
# Prepares a fresh clone: virtual environment, golfkit installed with its test tools, dataset, and
# PyPy when the package manager can install it.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
# An editable install leaves golfkit's own modules uncompiled; where PYTHONDONTWRITEBYTECODE is set,
# every command would compile them again (a tenth of a second). A regular install compiles them.
.venv/bin/python -m compileall -q golfkit >/dev/null

# The names dataset is data, never committed: copy it from ../shared, else download it.
if [ ! -s input.txt ]; then
  if [ -s ../shared/input.txt ]; then
    cp ../shared/input.txt input.txt
  else
    url=https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt
    if ! .venv/bin/python -c "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], 'input.txt.part')" "$url" 2>/dev/null; then
      rm -f input.txt.part
      echo "setup: no dataset: ../shared/input.txt is missing and $url could not be downloaded; put the names file at ./input.txt" >&2
      exit 4
    fi
    mv input.txt.part input.txt
  fi
fi

# Debian packages golfkit uses when present: each is optional, and one that cannot be installed
# is a one-line note. The package lists are updated once, before the first install.
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo -n"
apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$apt_updated" = 0 ]; then
    $sudo apt-get update -qq >/dev/null 2>&1 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null 2>&1
}

# PyPy (Debian's pypy3) by default: builds judge intermediate candidates with it when it
# reproduces the reference's log (`--precheck-python auto`), several times faster than CPython on
# long runs. GOLFKIT_WITH_PYPY=0 skips it; a machine without it still builds and tests, slower.
if [ "${GOLFKIT_WITH_PYPY:-1}" != 0 ] && ! command -v pypy3 >/dev/null 2>&1; then
  if apt_install pypy3; then
    echo "setup: installed pypy3 ($(pypy3 --version 2>&1 | tail -1))"
  else
    echo "setup: note: pypy3 could not be installed (no apt-get, or no root); builds run every candidate under CPython (slower)" >&2
  fi
fi

# bubblewrap (Debian's bwrap) by default: runs can then be sandboxed (golfkit/sandbox.py: files
# outside the run folder read-only, no network). GOLFKIT_WITH_BWRAP=0 skips it; without it, or
# where the kernel refuses its namespaces, runs are not sandboxed (`golfkit doctor` says why).
if [ "${GOLFKIT_WITH_BWRAP:-1}" != 0 ]; then
  if ! command -v bwrap >/dev/null 2>&1; then
    if apt_install bubblewrap; then
      echo "setup: installed bubblewrap ($(bwrap --version 2>&1 | head -1))"
    else
      echo "setup: note: bubblewrap could not be installed (no apt-get, or no root); runs are not sandboxed" >&2
    fi
  fi
  if command -v bwrap >/dev/null 2>&1 && ! refusal=$(.venv/bin/python -c \
      'from golfkit.sandbox import sandbox_status; s = sandbox_status(); print(s.detail); raise SystemExit(not s.available)' 2>&1); then
    echo "setup: note: runs are not sandboxed: ${refusal##*$'\n'}" >&2
  fi
fi
exit 0
