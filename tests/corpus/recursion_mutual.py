"""Recursion: mutual recursion, Towers of Hanoi, permutations, a recursive-descent expression parser."""
import sys

sys.setrecursionlimit(5000)


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


def hanoi(n, source, target, spare, moves):
    if n:
        hanoi(n - 1, source, spare, target, moves)
        moves.append((source, target))
        hanoi(n - 1, spare, target, source, moves)
    return moves


def permutations(items):
    if len(items) <= 1:
        return [items]
    return [items[i] + rest for i in range(len(items)) for rest in permutations(items[:i] + items[i + 1 :])]


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


class ParseError(Exception):
    """Raised on malformed input."""


# Recursive descent: expression -> term (('+'|'-') term)*, term -> factor (('*'|'/') factor)*.
def parse_expression(tokens, pos):
    value, pos = parse_term(tokens, pos)
    while pos < len(tokens) and tokens[pos] in "+-":
        op = tokens[pos]
        rhs, pos = parse_term(tokens, pos + 1)
        value = value + rhs if op == "+" else value - rhs
    return value, pos


def parse_term(tokens, pos):
    value, pos = parse_factor(tokens, pos)
    while pos < len(tokens) and tokens[pos] in "*/":
        op = tokens[pos]
        rhs, pos = parse_factor(tokens, pos + 1)
        value = value * rhs if op == "*" else value / rhs
    return value, pos


def parse_factor(tokens, pos):
    if tokens[pos] == "(":
        value, pos = parse_expression(tokens, pos + 1)
        if pos >= len(tokens) or tokens[pos] != ")":
            raise ParseError("missing )")
        return value, pos + 1
    if tokens[pos] == "-":
        value, pos = parse_factor(tokens, pos + 1)
        return -value, pos
    return int(tokens[pos]), pos + 1


def evaluate(text):
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    return parse_expression(tokens, 0)[0]


def depth(tree):
    return 1 + max(map(depth, tree), default=0) if isinstance(tree, list) else 0


print([n for n in range(12) if is_even(n)], is_odd(777))
moves = hanoi(4, "A", "C", "B", [])
print(len(moves), "moves:", " ".join(a + b for a, b in moves[:7]), "...")
print(permutations("abc"))
print([ackermann(2, n) for n in range(5)], ackermann(3, 3))
for expr in ["1 + 2 * 3", "( 1 + 2 ) * 3", "10 / 4 - - 2", "2 * ( 3 + ( 4 - 1 ) ) * 5"]:
    print(f"{expr} = {evaluate(expr)!r}")
try:
    evaluate("( 1 + 2")
except ParseError as error:
    print("parse error:", error)
print("depth:", depth([1, [2, [3, [4]], []], 5]))
