"""Inline targets: single-use variables, some safe to inline and some whose evaluation order matters."""

calls = []


def note(label, value):
    calls.append(label)
    return value


def area_report(width, height):
    area = width * height  # single use: safe to inline
    perimeter = 2 * (width + height)  # single use
    return f"area {area}, perimeter {perimeter}"


def ordered():
    # Both are single-use, but inlining them would swap the order of the two calls.
    first = note("first", 1)
    second = note("second", 2)
    return second - first


def mutated_between():
    items = [1, 2, 3]
    snapshot = len(items)  # must be read before the append below
    items.append(4)
    return snapshot, len(items)


def rebound_name():
    value = 10
    doubled = value * 2  # uses value before it is rebound
    value = 0
    return doubled + value


def used_in_loop():
    factor = note("factor", 3)  # single textual use, but inside a loop: evaluated once here
    return [factor * i for i in range(4)]


def rebound_parameter(data):
    size = len(data)
    data = data[:2]
    return size, data


def exception_order():
    try:
        risky = note("risky", 1 // 0)  # raises before the print below would run
        print("not reached", risky)
    except ZeroDivisionError:
        return "zero division caught"


def late_binding():
    base = 1
    show = lambda: base  # noqa: E731 - reads base when called, not when created
    base = 100  # inlining base = 1 into the lambda would print 1 instead of 100
    return show()


def aliased_mutation():
    items = []
    size_before = len(items)  # single use, but the list is mutated through an alias first
    alias = items
    alias.append("x")
    return size_before, len(items)


threshold = 50  # module-level single use
greeting = "hello"
message = greeting.upper() + ", " + greeting  # greeting used twice, message once
print(area_report(3, 4))
print(ordered(), calls)
print(mutated_between(), rebound_name())
print(used_in_loop(), calls)
print(rebound_parameter("abcdef"), exception_order(), calls[-1])
print([n for n in (10, 60, 90) if n > threshold], message, late_binding(), aliased_mutation())
default_label = "unnamed"


def label_of(item, fallback=default_label):
    return item or fallback


default_label = "changed"  # too late: the default was bound at def time
print(label_of(""), label_of("kept"))
pair = (note("left", "L"), note("right", "R"))
left, right = pair
print(right + left, calls[-2:])
