"""Walrus: assignment expressions in while/if conditions, regex matches and a small tokenizer."""
import re

SOURCE = "let total = price * 3 + tax; let tax = (price - 2) / 4; print total"
TOKEN_RE = re.compile(r"\s*(?:(?P<num>\d+)|(?P<name>[a-z]+)|(?P<op>[-+*/=();]))")


def tokenize(text):
    pos = 0
    tokens = []
    while pos < len(text) and (match := TOKEN_RE.match(text, pos)):
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def statements(tokens):
    current = []
    for token in tokens:
        if token == ("op", ";"):
            yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


tokens = tokenize(SOURCE)
print(len(tokens), "tokens")
counts = {}
for kind, _ in tokens:
    counts[kind] = counts.get(kind, 0) + 1
print(counts)

for number, stmt in enumerate(statements(tokens), 1):
    if (head := stmt[0][1]) == "let":
        target = stmt[1][1]
        names = [v for k, v in stmt[3:] if k == "name"]
        print(f"{number}: assign {target} from {names or 'constants'}")
    else:
        print(f"{number}: {head} {[v for _, v in stmt[1:]]}")

data = [5, 3, 8, 0, 2, 9, 1]
stack = list(data)
while (top := stack.pop()) != 0:
    print("popped", top)
print("left:", stack)

# Walrus keeps an expensive value inside a filter and reuses it in the output.
def cost(n):
    return n * n - 3 * n

print([(n, c) for n in data if (c := cost(n)) > 0])
if (n := len(data)) > 5:
    print(f"list is too long ({n} elements, expected <= 5)")
print("n is still bound:", n)
lines = iter(["alpha", "beta", "", "gamma"])
while line := next(lines):
    print("line", line.title())
