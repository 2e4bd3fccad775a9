import sys

print("num docs: 3")
print("vocab size: 4")
print("num params: 12")
print("a warning", file=sys.stderr)
