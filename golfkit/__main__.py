# Guarded, import included: the name search's worker processes, started by spawning, import this
# module again as __mp_main__, and must not pay for the command line's imports.
if __name__ == "__main__":
    from golfkit.cli import entry

    entry()
