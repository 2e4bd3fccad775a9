"""Inventory report: a __main__ guard, module __doc__ read at run time, helpers defined before main."""
import sys

STOCK = {"widget": (12, 2.50), "gadget": (0, 10.00), "doohickey": (5, 0.75), "gizmo": (30, 1.20)}
REORDER_LEVEL = 6


def usage():
    # The module docstring is printed: stripping it would change the output.
    return __doc__.split(":")[0]


def value_of(item):
    quantity, price = STOCK[item]
    return quantity * price


def needs_reorder(item):
    return STOCK[item][0] < REORDER_LEVEL


def report(out):
    out.write(f"{'item':<10}{'qty':>5}{'price':>8}{'value':>9}\n")
    for item in sorted(STOCK, key=value_of, reverse=True):
        quantity, price = STOCK[item]
        flag = " *" if needs_reorder(item) else ""
        out.write(f"{item:<10}{quantity:>5}{price:>8.2f}{value_of(item):>9.2f}{flag}\n")
    out.write(f"{'total':<23}{sum(map(value_of, STOCK)):>9.2f}\n")


def main(argv):
    print(usage())
    print("module name:", __name__, "argv length:", len(argv))
    report(sys.stdout)
    low = [item for item in STOCK if needs_reorder(item)]
    print("reorder:", ", ".join(low) or "nothing")
    return 0 if low else 1


def never_called():
    raise SystemExit("this helper is not part of the report")


if __name__ == "__main__":
    status = main(sys.argv)
    print("exit status", status)
    sys.exit(status)
else:
    print("imported, not run")
