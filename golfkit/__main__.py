from golfkit.cli import main

# Guarded: worker processes started by spawning import this module again as __mp_main__.
if __name__ == "__main__":
    main()
