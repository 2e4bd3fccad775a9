"""Classes: inheritance, super(), class vs instance attributes, properties, static/class methods."""
import math


class Shape:
    # Class attribute shared by every instance until an instance shadows it.
    sides = 0
    created = 0

    def __init__(self, label):
        self.label = label
        Shape.created += 1

    @property
    def area(self):
        raise NotImplementedError

    @classmethod
    def kind(cls):
        # Printed: renaming a class changes what this returns.
        return cls.__name__.lower()

    @staticmethod
    def describe_count(n):
        return f"{n} shape{'s' if n != 1 else ''}"

    def __repr__(self):
        return f"{self.__class__.__name__}({self.label!r}, area={self.area:.3f})"


class Rectangle(Shape):
    sides = 4

    def __init__(self, label, width, height):
        super().__init__(label)
        self.width = width
        self.height = height

    @property
    def area(self):
        return self.width * self.height

    @area.setter
    def area(self, value):
        # Keep the aspect ratio while scaling to the requested area.
        factor = math.sqrt(value / self.area)
        self.width *= factor
        self.height *= factor


class Square(Rectangle):
    def __init__(self, label, side):
        super().__init__(label, side, side)

    @classmethod
    def unit(cls):
        return cls("unit", 1)


class Circle(Shape):
    def __init__(self, label, radius):
        super().__init__(label)
        self.radius = radius

    @property
    def area(self):
        return math.pi * self.radius**2


shapes = [Rectangle("door", 2, 5), Square("tile", 3), Circle("coin", 1.5), Square.unit()]
for shape in shapes:
    print(shape, shape.kind(), shape.sides)

# An instance attribute shadows the class attribute for that instance only.
odd = Circle("odd", 1)
odd.sides = 99
print(odd.sides, Circle.sides, Shape.sides)
del odd.sides
print("after del:", odd.sides)

door = shapes[0]
door.area = 40
print(f"scaled door: {door.width:.4f} x {door.height:.4f} = {door.area:.4f}")
print(Shape.describe_count(Shape.created), Shape.describe_count(1))
print([type(s).__name__ for s in shapes])
print(isinstance(shapes[1], Rectangle), issubclass(Circle, Rectangle))
print([c.__name__ for c in Square.__mro__])
try:
    Shape("abstract").area
except NotImplementedError:
    print("Shape has no area")
