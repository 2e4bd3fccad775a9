"""f-strings: nested format specs, !r/!s/!a, the = specifier, names used only inside f-strings."""
from decimal import Decimal

width = 12
precision = 3
fill_char = "*"
pi_ish = 355 / 113
label = "caf\u00e9"
items = {"apples": 3, "kiwis": 12, "figs": 7}


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __format__(self, spec):
        # Custom __format__: the spec after ':' arrives here verbatim.
        text = f"{self.cents / 100:.2f}"
        return f"${text:>{spec}}" if spec else f"${text}"

    def __repr__(self):
        return f"Money({self.cents})"


price = Money(1999)
print(f"[{pi_ish:{width}.{precision}f}]")
print(f"[{pi_ish:{fill_char}^{width + 4}.{precision + 2}}]")
# The = specifier prints the expression text itself, so the names appear in the output.
print(f"{width=}, {precision = }, {pi_ish=:.2f}")
print(f"{label!r} {label!a} {label!s:>8}|")
print(f"{price} {price:10} {price!r}")
print(f"{'nested ' + f'{width:03d}'}")
for name, count in items.items():
    print(f"{name:<8}{count:>4d}{'!' * (count // 5)}")
print(f"{1234567.891:,.2f} {0.000123:.2e} {255:#x} {255:08b} {-42:+d} {0.25:%}")
print(f"{Decimal('1.10') + Decimal('2.205')} {3 + 4j!r} {True!r:>6}")
print(f"{{literal braces}} {len(items)=} {sorted(items)[0]!r:^10}")
print(f"{'multi'}"
      f"{'-part'!s}" " plain"
      f" {width * 2}")
total = sum(items.values())
# Names used only inside an f-string must survive renaming and dead-code passes.
only_in_fstring = "seen"
print(f"total={total:{'>' if total > 10 else '<'}{width}} status={only_in_fstring}")
print("%-8s|%5.1f|%03d|%r" % ("pct", 99.44, 7, "q"))
print("{0}-{1}-{0}".format("a", "b"), "{:>6.2f}".format(pi_ish))
