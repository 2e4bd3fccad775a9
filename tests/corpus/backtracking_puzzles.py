"""Backtracking: N-queens with sets of small ints, a sudoku solver, and subset sums with early exits."""

PUZZLE = """
53..7....
6..195...
.98....6.
8...6...3
4..8.3..1
7...2...6
.6....28.
...419..5
....8..79
"""


def queens(n):
    solutions = []
    columns, diagonals, anti_diagonals = set(), set(), set()
    placement = []

    def place(row):
        if row == n:
            solutions.append(tuple(placement))
            return
        for col in range(n):
            if col in columns or row - col in diagonals or row + col in anti_diagonals:
                continue
            columns.add(col)
            diagonals.add(row - col)
            anti_diagonals.add(row + col)
            placement.append(col)
            place(row + 1)
            placement.pop()
            columns.discard(col)
            diagonals.discard(row - col)
            anti_diagonals.discard(row + col)

    place(0)
    return solutions


def parse(text):
    return [[int(ch) if ch.isdigit() else 0 for ch in line] for line in text.split()]


def candidates(grid, r, c):
    used = set(grid[r]) | {grid[i][c] for i in range(9)}
    br, bc = 3 * (r // 3), 3 * (c // 3)
    used |= {grid[i][j] for i in range(br, br + 3) for j in range(bc, bc + 3)}
    return [d for d in range(1, 10) if d not in used]


def solve(grid, stats):
    for r in range(9):
        for c in range(9):
            if grid[r][c] == 0:
                for digit in candidates(grid, r, c):
                    grid[r][c] = digit
                    stats["guesses"] += 1
                    if solve(grid, stats):
                        return True
                grid[r][c] = 0
                return False
    return True


def subset_sum(numbers, target, chosen=()):
    if target == 0:
        return chosen
    if not numbers or target < 0:
        return None
    head, *tail = numbers
    return subset_sum(tail, target - head, chosen + (head,)) or subset_sum(tail, target, chosen)


for n in range(4, 9):
    found = queens(n)
    print(f"{n} queens: {len(found)} solutions, first {found[0]}")
board = queens(6)[0]
for col in board:
    print(" ".join("Q" if c == col else "." for c in range(6)))
grid = parse(PUZZLE)
stats = {"guesses": 0}
print("solved:", solve(grid, stats), "guesses:", stats["guesses"])
for row in grid[:3]:
    print("".join(map(str, row)))
print(all(sorted(row) == list(range(1, 10)) for row in grid), sum(map(sum, grid)))
print(subset_sum([8, 6, 7, 5, 3, 10, 9], 15), subset_sum([2, 4, 6], 5))
