"""Metaclasses, __init_subclass__, descriptors with __set_name__ (attribute names arrive as strings), __getattr__."""


class Registry(type):
    classes = {}

    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        if bases:  # skip the abstract root
            mcls.classes[name.lower()] = cls  # keyed by the class's own name
        return cls


class Typed:
    def __init__(self, kind, default=None):
        self.kind = kind
        self.default = default

    def __set_name__(self, owner, name):
        self.name = name  # the attribute name this descriptor was assigned to
        self.storage = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.storage, self.default)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.name} must be {self.kind.__name__}, got {type(value).__name__}")
        setattr(obj, self.storage, value)


class Model(metaclass=Registry):
    fields = ()

    def __init_subclass__(cls, table=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.table = table or cls.__name__.lower() + "s"
        cls.fields = tuple(k for k, v in vars(cls).items() if isinstance(v, Typed))

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)

    def __repr__(self):
        body = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.fields)
        return f"{type(self).__name__}({body})"

    def __getattr__(self, name):
        # Only called for missing attributes: synthesise get_<field> accessors.
        if name.startswith("get_") and name[4:] in self.fields:
            return lambda: getattr(self, name[4:])
        raise AttributeError(name)


class User(Model):
    name = Typed(str, "anonymous")
    age = Typed(int, 0)


class Product(Model, table="inventory"):
    title = Typed(str)
    price = Typed(float, 0.0)


print(sorted(Registry.classes), type(User).__name__, type(Registry).__name__)
u = User(name="ada", age=36)
print(u, User.table, User.fields, u.get_name(), u.get_age())
print(User(), Product(title="lamp", price=9.5), Product.table, Product.fields)
try:
    u.age = "old"
except TypeError as error:
    print("TypeError:", error)
try:
    u.get_email()
except AttributeError as error:
    print("AttributeError:", error)
print(sorted(k for k in vars(u)), User.name.storage, User.__dict__["age"].name)
made = Registry.classes["product"](title="pen")
print(made, made.price, isinstance(made, Model), Registry.classes["user"] is User)
Dynamic = Registry("Dynamic", (Model,), {"size": Typed(int, 3)})
print(Dynamic(), Dynamic.table, Dynamic.fields, "dynamic" in Registry.classes)
