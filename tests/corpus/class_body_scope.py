"""Class-body names are not visible inside methods; class attributes vs module globals of the same name."""

unit = "module-unit"
factor = 2


class Meter:
    unit = "m"  # class attribute; methods that say `unit` still see the module global
    factor = 100
    scaled = factor * 3  # class body sees its own names while it runs
    # The comprehension body skips the class scope: this `unit` is the module global.
    names = [unit + suffix for suffix in ("s", "2")]

    def bare(self):
        return unit, factor  # the module globals, not the class attributes

    def qualified(self):
        return self.unit, type(self).factor, Meter.scaled

    def missing(self):
        try:
            return scaled  # noqa: F821 - not visible: class scope is skipped
        except NameError:
            return "scaled is not visible from a method"

    class Nested:
        # A nested class body skips the outer class body too: this is the module's factor.
        seen = factor


class Centimeter(Meter):
    unit = "cm"
    factor = Meter.factor // 100


m, c = Meter(), Centimeter()
print(m.bare(), c.bare())
print(m.qualified(), c.qualified())
print(m.missing())
print("nested saw:", Meter.Nested.seen, "qualname:", Meter.Nested.__qualname__)
print(Meter.names, Meter.scaled)

counter = 0


class Tally:
    counter = 10
    counter += 1  # rebinds the class attribute, reading the class value first

    def bump(self):
        global counter
        counter += 1
        return counter, self.counter


t = Tally()
print(t.bump(), t.bump(), Tally.counter)
unit = "rebound"
print(m.bare())


def make_class(label):
    class Local:
        name = label  # a class body inside a function sees the function's locals

        def show(self):
            return label, self.name

    return Local


LocalA = make_class("A")
print(LocalA().show(), LocalA.__qualname__, LocalA.__name__)
