"""Structural pattern matching: class patterns via __match_args__ strings, mappings, guards, captures."""
from dataclasses import dataclass

@dataclass
class Circle:
    radius: float

@dataclass
class Rect:
    width: float
    height: float

class Segment:
    # Positional class patterns read these attribute names from strings.
    __match_args__ = ("start", "end")

    def __init__(self, start, end):
        self.start = start
        self.end = end

def describe(shape):
    match shape:
        case Circle(radius=0):
            return "a point"
        case Circle(r) if r > 10:
            return f"a big circle r={r}"
        case Circle(r):
            return f"a circle r={r}"
        case Rect(w, h) if w == h:
            return f"a square {w}"
        case Rect(width=w, height=h):
            return f"a {w}x{h} rectangle"
        case Segment((x1, y1), (x2, y2)) if x1 == x2:
            return f"a vertical segment at x={x1}"
        case Segment(start, end):
            return f"a segment {start}->{end}"
        case _:
            return f"unknown {type(shape).__name__}"

def command(text):
    match text.split():
        case []:
            return "empty"
        case ["go", ("north" | "south" | "east" | "west") as direction]:
            return f"going {direction}"
        case ["take", item, *rest]:
            return f"taking {item}" + (f" and {len(rest)} more" if rest else "")
        case ["say", *words]:
            return "saying " + " ".join(words)
        case [verb, *_]:
            return f"unknown verb {verb!r}"

def event(message):
    match message:
        case {"type": "click", "pos": (x, y)}:
            return f"click at {x},{y}"
        case {"type": "key", "key": str(key), **others}:
            return f"key {key} with {sorted(others)}"
        case {"type": kind}:
            return f"other event {kind}"
        case [int(n), *_] | (int(n), *_):
            return f"sequence starting with {n}"
        case None:
            return "nothing"
        case 0 | 1 as bit:
            return f"bit {bit}"

shapes = [Circle(0), Circle(12), Circle(2.5), Rect(3, 3), Rect(2, 5), Segment((1, 0), (1, 9)), Segment((0, 0), (3, 4)), "blob"]
for shape in shapes:
    print(describe(shape))
for text in ["", "go north", "go up", "take lamp key rope", "say hello there", "take sword"]:
    print(repr(text), "->", command(text))
for message in [{"type": "click", "pos": (3, 4)}, {"type": "key", "key": "q", "mod": "ctrl", "at": 1}, {"type": "scroll"}, [7, 8], None, 1, 5]:
    print(event(message))

scale = 2
best = None

class Reading:
    __match_args__ = ("value",)

    def __init__(self, value):
        self.value = value

    @property
    def doubled(self):
        return self.value * scale

def track(item):
    # A pattern binds a global, and a capture shadows the module's ``scale`` in this function.
    global best
    match item:
        case Reading(doubled=20) as best:
            return "twenty"
        case Reading(scale):
            return f"reading {scale}"
        case [*collected]:
            collected.append(len(collected))
            return collected
    return None

def counter(items):
    seen = 0

    def bump(item):
        nonlocal seen
        match item:
            case int(seen):
                return seen
        return -1

    return [bump(item) for item in items], seen

print(track(Reading(10)), best.value, track(Reading(4)), track([1, 2]), track("x"), scale)
print(counter([1, "a", 5]))
