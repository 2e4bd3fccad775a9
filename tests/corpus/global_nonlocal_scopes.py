"""global and nonlocal: module state mutated from functions, nested nonlocal chains, same names in many scopes."""

counter = 0
log = []
config = {"level": 1}
name = "module"


def increment(by=1):
    global counter
    counter += by
    return counter


def create_late_global():
    global created_later  # the module gains this name only when the function runs
    created_later = "made inside a function"


def read_only():
    # No `global` needed to read, or to mutate the object a global refers to.
    config["level"] += 1
    log.append(f"read counter={counter}")
    return config["level"]


def shadow():
    counter = "local counter"  # a different variable with the same name
    return counter


def make_bank(balance):
    def deposit(amount):
        nonlocal balance
        balance += amount
        return balance

    def withdraw(amount):
        nonlocal balance
        if amount > balance:
            return f"refused: balance is {balance}"
        balance -= amount
        return balance

    def audit():
        def inner():
            nonlocal balance  # reaches through two levels to make_bank's variable
            balance = round(balance * 1.1, 2)
            return balance

        return inner()

    return deposit, withdraw, audit


def names_everywhere():
    name = "function"

    def first():
        name = "first"
        return name

    def second():
        return name  # closes over names_everywhere's name

    class Inner:
        name = "class"

        def method(self):
            return name  # skips the class scope: names_everywhere's name

    return first(), second(), Inner.name, Inner().method()


print(increment(), increment(5), counter)
create_late_global()
print(created_later)  # noqa: F821 - defined by create_late_global
print(read_only(), read_only(), config, log)
print(shadow(), counter)
deposit, withdraw, audit = make_bank(100)
print(deposit(50), withdraw(500), withdraw(30), audit(), deposit(0))
print(names_everywhere(), name)
for step in range(3):
    increment(step)
print("final counter", counter, "loop variable leaked:", step)
