"""__slots__: slot strings tied to attribute names, inheritance with slots, no __dict__, a particle sim."""


class Particle:
    # Each slot name is a string that must match the attribute spelled in the methods.
    __slots__ = ("x", "y", "vx", "vy")

    def __init__(self, x, y, vx, vy):
        self.x, self.y, self.vx, self.vy = x, y, vx, vy

    def step(self, dt, gravity):
        self.vy -= gravity * dt
        self.x += self.vx * dt
        self.y += self.vy * dt
        if self.y < 0:  # bounce with some energy loss
            self.y = -self.y
            self.vy = -self.vy * 0.5

    def __repr__(self):
        return f"({self.x:.3f}, {self.y:.3f})"


class ChargedParticle(Particle):
    __slots__ = ("charge",)

    def __init__(self, x, y, vx, vy, charge):
        super().__init__(x, y, vx, vy)
        self.charge = charge


class Loose:
    pass


particles = [Particle(0.0, 10.0, 1.0, 0.0), Particle(5.0, 0.5, -0.5, 2.0), ChargedParticle(1, 1, 0, 0, -1)]
for tick in range(6):
    for p in particles:
        p.step(0.25, 9.81)
    print(f"t={tick * 0.25:.2f}", particles)

p = particles[0]
try:
    p.mass = 3.0
except AttributeError:
    print("cannot add mass: slots are fixed")
print("has __dict__:", hasattr(p, "__dict__"), hasattr(Loose(), "__dict__"))
print("slots:", Particle.__slots__, ChargedParticle.__slots__)
print("charge:", particles[2].charge, [s for s in ("x", "charge") if hasattr(particles[2], s)])
del p.vx
print("vx deleted:", hasattr(p, "vx"))
try:
    p.step(0.1, 1)
except AttributeError as error:
    print("step failed:", type(error).__name__)
print(sorted(name for name in dir(ChargedParticle) if not name.startswith("_")))
