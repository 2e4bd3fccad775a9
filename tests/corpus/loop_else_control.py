"""Control flow: for/else, while/else, break/continue in nested loops, finally around return and continue."""


def find_divisor(n):
    for d in range(2, int(n**0.5) + 1):
        if n % d == 0:
            break
    else:
        return None  # the else runs only when the loop did not break
    return d


def first_repeat(text):
    seen = ""
    i = 0
    while i < len(text):
        if text[i] in seen:
            break
        seen += text[i]
        i += 1
    else:
        return "no repeat"
    return f"repeat {text[i]!r} at {i}"


def finally_wins():
    try:
        return "from try"
    finally:
        print("  finally runs before the return completes")


def finally_on_continue():
    for attempt in range(3):
        try:
            if attempt < 2:
                continue  # finally still runs on continue
            return f"returned on attempt {attempt}"
        finally:
            print(f"  cleanup after attempt {attempt}")


def grid_search(target):
    found = None
    for row in range(5):
        for col in range(5):
            if row * col == target:
                found = (row, col)
                break
        if found:
            break
    return found


def skip_odds(limit):
    kept = []
    n = 0
    while n < limit:
        n += 1
        if n % 2:
            continue
        if n > 12:
            break
        kept.append(n)
    return kept


print([(n, find_divisor(n)) for n in (91, 97, 49, 2)])
print(first_repeat("banana"), first_repeat("python"), first_repeat(""))
print(finally_wins())
print(finally_on_continue())
print(grid_search(6), grid_search(7), grid_search(0))
print(skip_odds(100), skip_odds(5))
total = 0
for i in range(10):
    if i == 3:
        continue
    if i == 8:
        break
    total += i
else:
    total = -1  # not reached: the loop breaks at 8
print("total", total, "i", i)
count = 3
while count:
    count -= 1
else:
    print("while/else ran, count is", count)
for _ in []:
    pass
else:
    print("for/else over an empty loop still runs")
