"""Private name mangling: __balance becomes _Account__balance, reached by string; properties with setters."""


class InsufficientFunds(Exception):
    pass


class Account:
    __interest = 0.02  # mangled class attribute: _Account__interest
    _next_number = 1000

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.__balance = balance
        self.__history = []
        self.number = Account._next_number
        Account._next_number += 1

    @property
    def balance(self):
        return self.__balance

    @balance.setter
    def balance(self, value):
        if value < 0:
            raise InsufficientFunds(f"{self.owner} cannot go to {value}")
        self.__history.append(value - self.__balance)
        self.__balance = value

    def deposit(self, amount):
        self.balance += amount
        return self

    def withdraw(self, amount):
        self.balance -= amount
        return self

    def add_interest(self):
        self.balance = round(self.balance * (1 + self.__interest), 2)
        return self

    def history(self):
        return list(self.__history)


class Savings(Account):
    __interest = 0.05  # a different mangled name: _Savings__interest; Account still uses its own

    def rate(self):
        return self.__interest


alice = Account("alice", 100).deposit(50).withdraw(30).add_interest()
print(alice.owner, alice.number, alice.balance, alice.history())
bob = Savings("bob", 200).add_interest()
print(bob.owner, bob.number, bob.balance, bob.rate())
try:
    alice.withdraw(1000)
except InsufficientFunds as error:
    print("refused:", error)
try:
    print(alice.__balance)
except AttributeError:
    print("no attribute __balance from outside the class")
# The mangled spelling is data: it includes the class name.
print(getattr(alice, "_Account__balance"), alice._Account__interest, Savings._Savings__interest)
print(sorted(key for key in vars(alice)))
print(sorted(name for name in vars(Savings) if "interest" in name))
setattr(alice, "_Account__balance", 1)
print(alice.balance, alice.history()[-1])
print(type(bob).__name__, bob.__class__.__mro__[1].__name__, Account._next_number)
