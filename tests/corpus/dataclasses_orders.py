"""dataclasses: generated __repr__/__eq__/ordering show class and field names; asdict keys are field names."""
from dataclasses import asdict, astuple, dataclass, field, fields, replace


@dataclass(order=True)
class Item:
    # Field order decides the ordering comparison: price first, then name.
    price: float
    name: str
    tags: list = field(default_factory=list, compare=False)


@dataclass(frozen=True)
class Address:
    city: str
    zip_code: str = "00000"


@dataclass
class Order:
    number: int
    items: list = field(default_factory=list)
    address: Address = None
    _total_cache: float = field(default=0.0, repr=False)

    def __post_init__(self):
        self._total_cache = round(sum(item.price for item in self.items), 2)

    @property
    def total(self):
        return self._total_cache


catalog = [Item(3.5, "tea", ["drink"]), Item(1.25, "bun"), Item(3.5, "jam", ["spread"]), Item(0.99, "gum")]
print(sorted(catalog))
print(max(catalog), Item(3.5, "tea") == Item(3.5, "tea", ["other"]))
home = Address("Lyon", "69001")
order = Order(7, catalog[:2], home)
print(order)
print(order.total, asdict(order)["address"], astuple(home))
print(sorted(asdict(catalog[0])), [f.name for f in fields(Order)])
moved = replace(home, city="Paris")
print(moved, home, moved == Address("Paris", "69001"), hash(moved) == hash(Address("Paris", "69001")))
try:
    home.city = "Nice"
except AttributeError as error:
    print("frozen:", type(error).__name__)
defaults = Order(8)
defaults.items.append(Item(2.0, "pen"))
print(Order(9).items, defaults.items, Order.__name__, type(defaults).__qualname__)
summary = {item.name: item.price for item in catalog}
print(summary, Item.__dataclass_fields__["tags"].compare)
