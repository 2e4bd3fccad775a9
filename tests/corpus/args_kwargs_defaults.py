"""*args/**kwargs, keyword-only and positional-only params, ** unpacking, mutable and global defaults."""

SCALE = 10


def scaled(value, factor=SCALE):
    # The default was evaluated once, when `def` ran: rebinding SCALE later does not change it.
    return value * factor


def current_scale(value):
    return value * SCALE  # reads the global at call time


def append_to(item, bucket=[]):
    # Mutable default evaluated once and shared between calls.
    bucket.append(item)
    return bucket


def safe_append(item, bucket=None):
    bucket = [] if bucket is None else bucket
    bucket.append(item)
    return bucket


def describe(*args, sep=", ", **kwargs):
    # Keyword names become dict keys: the parameter names are visible in the output.
    positional = sep.join(map(str, args))
    named = sep.join(f"{key}={value!r}" for key, value in kwargs.items())
    return f"({positional}) [{named}]"


def point(x, y, /, z=0, *, unit="m"):
    return f"{x},{y},{z} {unit}"


def connect(host, port=80, *, timeout=5, retries=2):
    return f"{host}:{port} timeout={timeout} retries={retries}"


def forward(*args, **kwargs):
    return connect(*args, **kwargs)


print(scaled(3), current_scale(3))
SCALE = 100
print(scaled(3), current_scale(3), scaled.__defaults__)
print(append_to(1), append_to(2), append_to(3))
print(safe_append(1), safe_append(2))
print(describe(1, 2, 3, color="red", size=4))
print(describe(sep=" | ", alpha=1, beta=[2]))
options = {"timeout": 30, "retries": 0}
print(connect("example.org", **options))
print(forward("localhost", 8080, **{"timeout": 1}))
print(point(1, 2), point(1, 2, 3, unit="cm"), point(*[4, 5], **{"z": 6}))
try:
    point(x=1, y=2)  # positional-only parameters cannot be passed by keyword
except TypeError:
    print("TypeError for keyword use of positional-only parameters")
settings = dict(verbose=True, depth=3)
settings.update(depth=4, name="run")
print(settings, sorted(settings))
print(connect.__kwdefaults__, connect.__defaults__, connect.__code__.co_argcount)
merged = {**options, "timeout": 60, **{"extra": None}}
print(merged)
first, *middle, last = range(7)
print(first, middle, last)
print(max(3, 9, 4, key=lambda v: -v), min([], default="empty"))
