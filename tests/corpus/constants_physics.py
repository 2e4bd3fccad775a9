"""Module constants: foldable numbers and strings, a "constant" that is later rebound, constants in defaults."""
import math

GRAVITY = 9.81
AIR_DENSITY = 1.225
DRAG_COEFFICIENT = 0.47
BALL_RADIUS = 0.11
BALL_MASS = 0.43
TIME_STEP = 0.05
HEADER = "projectile"
SEPARATOR = "-" * 30
ANGLES = (15, 30, 45, 60, 75)
DEBUG = False
VERSION = 3

# Derived constant: folding it must give exactly the same float.
CROSS_SECTION = math.pi * BALL_RADIUS**2
DRAG_FACTOR = 0.5 * AIR_DENSITY * DRAG_COEFFICIENT * CROSS_SECTION / BALL_MASS


def flight(speed, angle_degrees, drag=True, dt=TIME_STEP):
    angle = math.radians(angle_degrees)
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    x = y = t = 0.0
    while y >= 0:
        v = math.hypot(vx, vy)
        k = DRAG_FACTOR * v if drag else 0.0
        vx -= k * vx * dt
        vy -= (GRAVITY + k * vy) * dt
        x += vx * dt
        y += vy * dt
        t += dt
    return x, t


print(HEADER.title(), f"v{VERSION}")
print(SEPARATOR)
print("drag factor", repr(DRAG_FACTOR))
for angle in ANGLES:
    x, t = flight(20, angle)
    ideal, _ = flight(20, angle, drag=False)
    print(f"{angle:>3} deg: {x:7.3f} m in {t:.2f} s (vacuum {ideal:7.3f} m)")
    if DEBUG:
        print("debug", angle)
print(SEPARATOR)

# A name that looks like a constant but is rebound: it must not be folded at its first value.
LIMIT = 10
print("limit before", LIMIT, [n for n in range(LIMIT) if n % 4 == 0])
LIMIT = 20
print("limit after", LIMIT, [n for n in range(LIMIT) if n % 4 == 0])


def bump_version():
    global VERSION
    VERSION += 1


def moon_drop(height, GRAVITY=1.62):
    # A parameter shadows the module constant: folding 9.81 in here would be wrong.
    return round((2 * height / GRAVITY) ** 0.5, 4)


class Planet:
    TIME_STEP = 0.5  # a class attribute with a constant's name
    ticks = int(10 / TIME_STEP)  # the class body sees its own TIME_STEP


bump_version()
print("moon drop", moon_drop(10), moon_drop(10, GRAVITY), "ticks", Planet.ticks, int(10 / TIME_STEP))
print("version now", VERSION, "header len", len(HEADER), HEADER * 2)
print(repr(GRAVITY * TIME_STEP), repr(TIME_STEP * GRAVITY * 2), repr(1 / TIME_STEP))
