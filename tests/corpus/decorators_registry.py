"""Decorators: plain, with arguments, functools.wraps, class decorators, registries keyed by __name__."""
import functools

REGISTRY = {}
call_log = []


def register(func):
    # The registry key is the function's own name: renaming it changes the output.
    REGISTRY[func.__name__] = func
    return func


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        call_log.append(func.__qualname__)
        return func(*args, **kwargs)

    return wrapper


def repeat(times):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args):
            return [func(*args) for _ in range(times)]

        return wrapper

    return decorate


def unwrapped(func):
    def inner(*args):
        return func(*args)

    return inner


def with_tag(tag):
    def decorate(cls):
        cls.tag = tag
        cls.describe = lambda self: f"<{tag}> {type(self).__name__}"
        return cls

    return decorate


@register
@logged
def greet(name):
    """Say hello to someone."""
    return f"hello, {name}"


@register
@repeat(3)
def shout(word):
    return word.upper() + "!"


@unwrapped
def hidden():
    """This docstring is lost without functools.wraps."""
    return 42


@with_tag("widget")
class Button:
    pass


class Greeter:
    @logged
    def welcome(self, who):
        return f"welcome {who}"


print(sorted(REGISTRY))
print(REGISTRY["greet"]("ada"), REGISTRY["shout"]("hey"))
print("greet:", greet.__name__, "|", greet.__doc__, "|", greet.__wrapped__.__qualname__)
print("hidden:", hidden.__name__, hidden.__qualname__, hidden.__doc__, hidden())
print(Button().describe(), Button.tag)
print(Greeter().welcome("bob"), Greeter.welcome.__qualname__)
print("calls:", call_log)


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print([fib(n) for n in range(15)], fib.cache_info().hits)
