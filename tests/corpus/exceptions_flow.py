"""Exceptions: custom hierarchy, try/except/else/finally order, raise from, `except E as e` unbinding."""


class AppError(Exception):
    """Base class for the application's errors."""


class ValidationError(AppError):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field


class RetryableError(AppError):
    pass


trace = []


def validate(record):
    if "name" not in record:
        raise ValidationError("name", "missing")
    if not isinstance(record.get("age"), int):
        raise ValidationError("age", f"expected int, got {type(record.get('age')).__name__}")
    return record


def process(record):
    try:
        trace.append("try")
        validated = validate(record)
    except ValidationError as error:
        trace.append(f"except {error.field}")
        return "invalid"
    else:
        trace.append("else")
        return f"ok {validated['name']}"
    finally:
        # Runs even after `return` in the other clauses.
        trace.append("finally")


def load(key):
    try:
        return {"a": 1}[key]
    except KeyError as missing:
        raise AppError(f"no such key {key!r}") from missing


def flaky(attempts):
    for attempt in range(1, attempts + 1):
        try:
            if attempt < 3:
                raise RetryableError(f"attempt {attempt}")
            return attempt
        except RetryableError as error:
            trace.append(str(error))
    raise AppError("gave up")


for record in [{"name": "ada", "age": 36}, {"age": 3}, {"name": "bob", "age": "old"}]:
    print(process(record), trace)
    trace.clear()

try:
    load("b")
except AppError as error:
    print(repr(error), "caused by", repr(error.__cause__), error.__suppress_context__)

# The name bound by `except ... as` is deleted when the block ends.
err = "before"
try:
    int("x")
except ValueError as err:
    print("inside:", type(err).__name__)
try:
    print(err)
except NameError:
    print("err is unbound after the except block")

print(flaky(5), trace)
try:
    flaky(2)
except AppError as error:
    print(error, isinstance(error, Exception), AppError.__doc__)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise KeyError("during handling")
except KeyError as error:
    print(repr(error), type(error.__context__).__name__)

try:
    raise ExceptionGroup("many", [ValueError(1), TypeError(2)])
except* ValueError as group:
    print("value errors:", [e.args for e in group.exceptions])
except* TypeError as group:
    print("type errors:", [e.args for e in group.exceptions])
print([cls.__name__ for cls in ValidationError.__mro__])
