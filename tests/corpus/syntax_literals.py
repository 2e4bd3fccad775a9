"""Layout/minify edge cases: string prefixes and escapes, implicit concatenation, continuations, odd literals."""

RAW = r"C:\new\table\x41"  # raw string: backslashes are data
ESCAPED = "tab\there\nnewline\\backslash \"quoted\" \x41\u00e9\N{GREEK SMALL LETTER PI}"
BYTES = b"\x00\xffbytes" + rb"\d+"
BLOCK = """first line
    indented line # not a comment
\tline with a tab
last line"""
CONCATENATED = ("implicit " 'concat' """enation"""
                f" with {len(RAW)}")
UNICODE = "na\u00efve caf\u00e9 \u2014 \u65e5\u672c \U0001F600"
WRAPPED = "a backslash-newline \
inside a string joins the lines"
LITERAL_UNICODE = "☃ ünïcödé — ½ → ∞"  # non-ASCII source text: characters and UTF-8 bytes differ
NUMBERS = [0x1F, 0o17, 0b1011, 1_000_000, 1e3, 1.5e-3, .5, 5., 2j, 0xDEAD_BEEF, 1E2]

print(RAW, len(RAW))
print(ESCAPED)
print(BYTES, len(BYTES), BYTES.hex())
print(BLOCK)
print(CONCATENATED)
print(UNICODE, len(UNICODE), len(UNICODE.encode("utf-8")))
print(WRAPPED, 255 .bit_length(), 1.5.as_integer_ratio(), 1j.imag, 0x10 .real, 1e2.is_integer())
print(LITERAL_UNICODE, len(LITERAL_UNICODE), LITERAL_UNICODE.upper())
print(NUMBERS)

total = 1 + \
    2 + \
    3
values = [
    1,
    2,  # trailing comma and comments inside brackets
    3,
]
matrix = {
    "a": (1,
          2),
    "b": [x
          for x in range(3)
          if x],
}
print(total, values, matrix)
a = 1; b = 2; c = a + b  # noqa: E702 - semicolons on one line
if a < b < c: print("chained comparison holds")
if not a is None and b not in values: print("unreachable")  # noqa: E714
else: print("else branch on one line")
x = (lambda: "paren lambda")()
y = [*range(3), *"ab"]
z = {**{"k": 1}, "j": 2}
print(x, y, z, -(-3), +4, not 0, ~0, 2**-1, (-2) ** 2, -2**2)
print("#hash in string", '#' + "'mixed' \"quotes\"", '''triple 'single' ''')
print(f"{'f-string'!s:>10}", "%d%%" % 50, "{{}}".format(), f'{"nested quotes"}', rf"\d{a}")
s = "slice"
print(s[::-1], s[1:-1], s[:: 2], s[-2:], s[::-1][::-1] == s)
print("end",
      "of",
      "file", sep="\t")
