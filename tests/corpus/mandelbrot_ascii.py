"""ASCII Mandelbrot and Julia sets: nested float loops, complex numbers, a palette string indexed by counts."""

PALETTE = " .:-=+*#%@"
WIDTH, HEIGHT = 56, 18
MAX_ITER = 40


def escape_time(c, z=0j, limit=MAX_ITER):
    for n in range(limit):
        z = z * z + c
        if abs(z) > 2:
            return n
    return limit


def render(fn, x_range, y_range):
    (x0, x1), (y0, y1) = x_range, y_range
    rows = []
    for row in range(HEIGHT):
        y = y0 + (y1 - y0) * row / (HEIGHT - 1)
        line = ""
        for col in range(WIDTH):
            x = x0 + (x1 - x0) * col / (WIDTH - 1)
            n = fn(complex(x, y))
            line += PALETTE[min(n * len(PALETTE) // MAX_ITER, len(PALETTE) - 1)]
        rows.append(line.rstrip())
    return rows


for line in render(escape_time, (-2.2, 0.8), (-1.2, 1.2)):
    print(line)
julia_c = complex(-0.8, 0.156)
julia = render(lambda z: escape_time(julia_c, z), (-1.6, 1.6), (-1.0, 1.0))
print("\n".join(julia[::3]))
inside = sum(escape_time(complex(x / 20, y / 20)) == MAX_ITER for x in range(-40, 11) for y in range(-24, 25))
print("points inside:", inside, "area estimate:", repr(inside / 400))
print(escape_time(0j), escape_time(1 + 1j), escape_time(-1 + 0j), escape_time(0.25 + 0.5j))
