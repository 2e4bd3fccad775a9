"""A tagged serializer keyed by type(...).__name__ and __class__.__name__: renaming classes changes output."""


class Node:
    def __init__(self, value, *children):
        self.value = value
        self.children = list(children)


class Leaf(Node):
    pass


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


def serialize(obj, indent=0):
    pad = "  " * indent
    kind = type(obj).__name__  # the tag is the class name, so it is part of the output
    if isinstance(obj, (int, float, str, bool, type(None))):
        return f"{pad}{kind}:{obj!r}"
    if isinstance(obj, (list, tuple)):
        inner = "\n".join(serialize(item, indent + 1) for item in obj)
        return f"{pad}{kind}[{len(obj)}]\n{inner}" if obj else f"{pad}{kind}[]"
    if isinstance(obj, dict):
        inner = "\n".join(f"{pad}  {key}=" + serialize(value, indent + 1).lstrip() for key, value in obj.items())
        return f"{pad}{kind}{{{len(obj)}}}\n{inner}" if obj else f"{pad}{kind}{{}}"
    fields = {key: value for key, value in vars(obj).items() if value != []}
    return serialize(fields, indent).replace("dict", obj.__class__.__name__, 1)


tree = Node("root", Leaf(1), Node("branch", Leaf(2.5), Leaf(None)))
print(serialize(tree))
print(serialize([Point(1, 2), (True, "x"), {}]))


def outer():
    def inner():
        return None

    class Local:
        def method(self):
            pass

    return inner, Local


inner, Local = outer()
print(inner.__name__, inner.__qualname__, Local.__qualname__, Local.method.__qualname__)
# Function reprs contain an address; print only the stable prefix.
print(repr(inner).split(" at ")[0], repr(serialize).split(" at ")[0])
print(type(inner).__name__, type(Local).__name__, type(Local()).__name__, type(len).__name__)
print(type(1), type(1.0), type(""), type([]), type(None), type(type))
print(Point.__name__, Point.__module__, Leaf.__bases__[0].__name__, Leaf.__base__.__qualname__)
print(str(Point).replace("__main__.", ""), repr(Leaf).replace("__main__.", ""), Node.__init__.__qualname__)
print(sorted(cls.__name__ for cls in Node.__subclasses__()), isinstance(Leaf(0), Node))
