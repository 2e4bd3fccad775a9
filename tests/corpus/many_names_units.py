"""Unit conversions with ~80 module names (short-name generators must skip keywords such as `as`/`if`/`in`)."""
import re

meter = 1.0
kilometer, centimeter, millimeter, micrometer = 1000 * meter, meter / 100, meter / 1000, meter / 1e6
inch = 2.54 * centimeter
foot, yard, mile = 12 * inch, 36 * inch, 5280 * 12 * inch
nautical_mile, league, furlong, chain_length = 1852 * meter, 3 * 5280 * 12 * inch, 660 * 12 * inch, 66 * 12 * inch
second = 1.0
minute, hour, day, week = 60 * second, 3600 * second, 86400 * second, 7 * 86400 * second
gram = 1.0
kilogram, milligram, tonne = 1000 * gram, gram / 1000, 1e6 * gram
ounce = 28.349523125 * gram
pound, stone = 16 * ounce, 14 * 16 * ounce
liter = 1.0
milliliter, gallon, quart, pint, cup = liter / 1000, 3.785411784 * liter, 3.785411784 / 4 * liter, 3.785411784 / 8 * liter, 0.2365882365 * liter
kelvin_offset, fahrenheit_scale, fahrenheit_offset = 273.15, 9 / 5, 32
byte = 1
kibibyte, mebibyte, gibibyte = 1024 * byte, 1024**2 * byte, 1024**3 * byte
kilobyte, megabyte, gigabyte = 1000 * byte, 1000**2 * byte, 1000**3 * byte
degree = 3.141592653589793 / 180
arcminute, arcsecond = degree / 60, degree / 3600
hectare, acre = 10000 * meter**2, 43560 * (12 * inch) ** 2
kilometer_per_hour, mile_per_hour, knot = kilometer / hour, mile / hour, nautical_mile / hour
joule = 1.0
calorie, kilocalorie, kilowatt_hour, electronvolt = 4.184 * joule, 4184 * joule, 3.6e6 * joule, 1.602176634e-19 * joule
pascal = 1.0
bar, atmosphere, psi, torr = 1e5 * pascal, 101325 * pascal, 6894.757293168 * pascal, 101325 / 760 * pascal

# Soft keywords are ordinary names outside their statements.
match = re.match(r"(\d+(?:\.\d+)?)\s*(\w+)", "26.2 mile")
case, type = "lower", "length"
_ = "scratch"

lengths = {"km": kilometer, "mi": mile, "nmi": nautical_mile, "ft": foot, "yd": yard, "in": inch, "lea": league}
for name, size in sorted(lengths.items(), key=lambda kv: kv[1]):
    print(f"1 {name:<3} = {size:>12.4f} m")
value, unit = float(match.group(1)), match.group(2)
print(f"marathon: {value} {unit} = {value * lengths[unit[:1] + 'i'] / kilometer:.3f} km ({type}, {case})")
print(f"week = {week / minute:g} min, day = {day / hour:g} h, {furlong / chain_length:g} chains per furlong")
print(f"stone = {stone / kilogram:.4f} kg, tonne = {tonne / pound:.2f} lb, 1 mg = {milligram / ounce:.3e} oz")
print(f"gallon = {gallon / pint:g} pints = {gallon / quart:g} quarts = {gallon / cup:.2f} cups = {gallon / milliliter:.1f} ml")
celsius = [-40, 0, 37, 100]
print([round(c * fahrenheit_scale + fahrenheit_offset, 1) for c in celsius], [c + kelvin_offset for c in celsius])
print(f"GiB/GB = {gibibyte / gigabyte:.4f}, MiB/MB = {mebibyte / megabyte:.4f}, KiB/kB = {kibibyte / kilobyte}")
print(f"right angle = {90 * degree:.6f} rad = {90 * degree / arcminute:g}' = {90 * degree / arcsecond:.0f}\"")
print(f"acre = {acre / hectare:.5f} ha, 60 mph = {60 * mile_per_hour / kilometer_per_hour:.2f} km/h = {60 * mile_per_hour / knot:.2f} kn")
print(f"kWh = {kilowatt_hour / kilocalorie:.2f} kcal, kcal = {kilocalorie / calorie:g} cal, eV = {electronvolt!r} J")
print(f"atm = {atmosphere / bar} bar = {atmosphere / psi:.3f} psi = {atmosphere / torr:g} torr, um = {micrometer / millimeter:g} mm")
print(id(meter) == id(meter), abs(-gram), min(second, byte), _, len(lengths))
