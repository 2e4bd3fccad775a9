"""enum: member names printed (they are identifiers!), auto(), Flag, IntEnum, lookups by name and value."""
from enum import Enum, Flag, IntEnum, auto


class Light(Enum):
    RED = "stop"
    AMBER = "wait"
    GREEN = "go"

    def next(self):
        order = list(Light)
        return order[(order.index(self) + 1) % len(order)]

    @property
    def label(self):
        return f"{self.name.title()} means {self.value}"


class Priority(IntEnum):
    LOW = auto()
    MEDIUM = auto()
    HIGH = auto()


class Permission(Flag):
    READ = auto()
    WRITE = auto()
    EXECUTE = auto()
    ALL = READ | WRITE | EXECUTE


class Status(Enum):
    ACTIVE = 1
    RUNNING = 1  # an alias: same value, so it is not a separate member


light = Light.RED
for _ in range(4):
    print(light, light.name, repr(light.value), "->", light.next().name)
    light = light.next()
print([member.label for member in Light])
print(Light["AMBER"], Light("go"), Light.GREEN in Light, len(Light))
print(sorted([Priority.HIGH, Priority.LOW, Priority.MEDIUM]), Priority.HIGH > Priority.LOW, Priority.MEDIUM + 1)
print(repr(Priority(2)), int(Priority.HIGH), [p.name for p in Priority])
rw = Permission.READ | Permission.WRITE
print(rw, Permission.WRITE in rw, Permission.EXECUTE in rw, bool(rw & Permission.EXECUTE))
print(Permission.ALL == Permission.READ | Permission.WRITE | Permission.EXECUTE, Permission(5))
print(list(Status), Status.RUNNING is Status.ACTIVE, list(Status.__members__))
try:
    Light("blink")
except ValueError as error:
    print("ValueError:", error)
tasks = {"deploy": Priority.HIGH, "lint": Priority.LOW, "review": Priority.MEDIUM}
for task in sorted(tasks, key=tasks.get, reverse=True):
    print(f"{task:<7} {tasks[task].name:<6} {tasks[task]:d}")
print(type(Light.RED).__name__, Light.RED.__class__.__name__, type(Priority.LOW).__mro__[1].__name__)
