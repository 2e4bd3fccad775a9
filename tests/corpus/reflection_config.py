"""Reflection: getattr/setattr/hasattr/delattr with strings, vars(), __dict__, globals() lookups."""

DEFAULTS = {"learning_rate": 0.01, "epochs": 3, "verbose": False}
mode_fast = "fast mode"
mode_careful = "careful mode"


class Config:
    learning_rate = 0.1  # class-level default, visible through getattr but not vars(instance)

    def __init__(self, **overrides):
        for key, value in {**DEFAULTS, **overrides}.items():
            setattr(self, key, value)

    def toggle(self, flag):
        setattr(self, flag, not getattr(self, flag))
        return getattr(self, flag)


class Handlers:
    def on_start(self):
        return "starting"

    def on_stop(self):
        return "stopping"

    def dispatch(self, event):
        # Method names assembled from strings at run time.
        handler = getattr(self, "on_" + event, None)
        return handler() if handler else f"no handler for {event}"


config = Config(epochs=10, batch=32)
print(sorted(vars(config).items()))
print(config.toggle("verbose"), config.verbose, Config.learning_rate)
print(hasattr(config, "batch"), hasattr(config, "momentum"), getattr(config, "momentum", 0.9))
delattr(config, "learning_rate")
print("falls back to class attribute:", config.learning_rate)
config.__dict__["epochs"] = 20
print("epochs via __dict__:", config.epochs)

handlers = Handlers()
for event in ["start", "pause", "stop"]:
    print(event, "->", handlers.dispatch(event))
print(sorted(name for name in vars(Handlers) if name.startswith("on_")))

# Module globals looked up by a computed name.
for speed in ("fast", "careful"):
    print(globals()["mode_" + speed])
globals()["late_global"] = 7 * 6
print("late_global =", late_global)  # noqa: F821 - created through globals()

record = type("Record", (), {"kind": "dynamic", "describe": lambda self: f"I am {self.kind}"})()
print(record.describe(), type(record).__name__)
for attr in ("kind", "describe", "missing"):
    print(attr, hasattr(record, attr))
stats = {name: getattr(str, name).__doc__.split()[0] for name in ("upper", "lower")}
print(stats)
