"""Keyword names in strings: '{name}'.format(name=...), format(**locals()), '%(x)s' % vars(), dict(**kw)."""


def invoice_line(product, quantity, unit_price):
    subtotal = quantity * unit_price
    # Every local name below appears inside the template string, so renaming locals breaks it.
    return "{product:<8} {quantity:>3} x {unit_price:6.2f} = {subtotal:8.2f}".format(**locals())


def percent_style(name, score):
    grade = "A" if score >= 90 else "B" if score >= 80 else "C"
    return "%(name)s scored %(score)d (%(grade)s)" % locals()


def explicit_keywords(first, last):
    # The keyword argument names are tied to the placeholders, not to the variables.
    return "{surname}, {given}".format(given=first, surname=last)


def template_fill(template, **fields):
    return template.format_map(fields)


class Report:
    title = "Quarterly"

    def __init__(self, owner, pages):
        self.owner = owner
        self.pages = pages

    def header(self):
        return "{title} report by {owner} ({pages} pages)".format(title=self.title, **vars(self))

    def details(self):
        return "%(owner)s/%(pages)03d" % self.__dict__


for row in [("apple", 3, 0.5), ("melon", 1, 3.25), ("grapes", 12, 0.125)]:
    print(invoice_line(*row))
for name, score in [("ada", 95), ("bob", 84), ("cy", 70)]:
    print(percent_style(name, score))
print(explicit_keywords("Grace", "Hopper"))
print(template_fill("{city} is in {country}", city="Oslo", country="Norway"))
report = Report("dana", 12)
print(report.header(), report.details())
width, fill = 20, "~"
print("[{0:{fill}^{width}}]".format("centered", fill=fill, width=width))
print("{x}/{y}".format_map(dict(x=1, y=2)), "{0[a]} {1.real}".format({"a": "item"}, 5))
module_level_name = "visible"
print("module: {module_level_name}".format(**globals()))
print("%s and %r and %5.2f%%" % ("s", "r", 12.345))
kwargs = dict(sep=" | ", end=" <end>\n")
print("one", "two", "three", **kwargs)
env = {"user": "root", "home": "/root"}
print("{user} lives in {home}".format(**env), sorted(env))
