"""String-keyed dicts whose keys equal parameter and attribute names: f(**record), dict(k=v), __dict__ updates."""
import json


def make_user(name, email, age=0, admin=False):
    # Called with **record: the dict keys must keep matching these parameter names.
    role = "admin" if admin else "user"
    return f"{name} <{email}> age {age} [{role}]"


class Settings:
    def __init__(self, **values):
        self.__dict__.update(values)

    def as_dict(self):
        return dict(sorted(self.__dict__.items()))


records = [
    {"name": "ada", "email": "ada@example.org", "age": 36},
    {"name": "root", "email": "root@example.org", "admin": True},
    dict(name="bob", email="bob@example.org", age=51),
]
for record in records:
    print(make_user(**record))

counts = {}
for record in records:
    for key in record:
        counts[key] = counts.get(key, 0) + 1
print(counts)

settings = Settings(theme="dark", font_size=14, autosave=True)
print(settings.theme, settings.font_size, settings.as_dict())
settings.font_size += 2
print(json.dumps(settings.as_dict(), sort_keys=True))

payload = json.loads('{"user": {"name": "cy", "email": "cy@example.org"}, "tags": ["a", "b"]}')
print(make_user(**payload["user"], age=len(payload["tags"])))
routes = {"GET /": "index", "GET /about": "about", "POST /login": "login"}
handlers = {
    "index": lambda: "home page",
    "about": lambda: "about page",
    "login": lambda: "logged in",
}
for route in ["GET /", "POST /login", "GET /missing"]:
    print(route, "->", handlers[routes[route]]() if route in routes else "404")
defaults = {"color": "blue", "size": "M"}
overrides = {"size": "L"}
print({**defaults, **overrides}, defaults | {"qty": 2}, dict(defaults, size="S"))
inverted = {value: key for key, value in routes.items()}
print(inverted["login"], list(inverted)[:2])
nested = {"a": {"b": {"c": 42}}}
print(nested["a"]["b"]["c"], nested.get("x", {}).get("y", "missing"))
print(dict.fromkeys(["x", "y"], 0), sorted({"k2": 2, "k1": 1}.items()))
