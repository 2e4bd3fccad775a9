"""del: names, list items and slices, dict keys, attributes, loop variables, and names re-bound after del."""

inventory = {"apples": 5, "pears": 0, "plums": 7, "figs": 0}
numbers = list(range(10))


class Box:
    def __init__(self):
        self.lid = "closed"
        self.label = "fragile"

    def __delattr__(self, name):
        # Observe deletions: the attribute name arrives as a string.
        print(f"  deleting attribute {name!r}")
        super().__delattr__(name)


# Delete while iterating over a snapshot of the keys.
for key in list(inventory):
    if inventory[key] == 0:
        del inventory[key]
print(inventory)

del numbers[0]
del numbers[-1]
del numbers[::3]
print(numbers)
del numbers[1:3]
print(numbers, len(numbers))

box = Box()
del box.lid
print(vars(box), hasattr(box, "lid"))

temporary = "scratch value"
print("before del:", temporary)
del temporary
try:
    print(temporary)
except NameError:
    print("temporary is gone")
temporary = "rebound"
print("after rebinding:", temporary)


def local_del():
    value = 41
    value += 1
    result = value
    del value
    try:
        return result, value
    except UnboundLocalError as error:
        return result, type(error).__name__


print(local_del())
a, b, c = 1, 2, 3
del a, c
print("remaining:", [name for name in ("a", "b", "c") if name in globals()])
for index in range(3):
    pass
print("loop variable survives the loop:", index)
del index
print("index" in dir())
matrix = [[1, 2], [3, 4]]
del matrix[0][1], matrix[1]
print(matrix)
