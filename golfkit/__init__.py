"""golfkit: shrink a Python program to its shortest form that prints exactly the same log."""

__version__ = "0.1.0"
