"""async/await: coroutines, async generators, async with, gather ordering, all without real sleeping."""
import asyncio

log = []


class Resource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        log.append(f"open {self.name}")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        log.append(f"close {self.name}")
        return False


async def ticker(limit):
    for i in range(limit):
        await asyncio.sleep(0)  # yield control without waiting on the clock
        yield i * i


async def worker(name, jobs, results):
    while jobs:
        job = jobs.pop(0)
        await asyncio.sleep(0)
        results.append((name, job, job * 10))
    return f"{name} idle"


async def fetch(key, table):
    await asyncio.sleep(0)
    if key not in table:
        raise KeyError(key)
    return table[key]


async def main():
    async with Resource("db") as db:
        squares = [value async for value in ticker(5)]
        log.append(f"{db.name} squares {squares}")
    jobs = list(range(1, 7))
    results = []
    statuses = await asyncio.gather(worker("w1", jobs, results), worker("w2", jobs, results))
    print("statuses:", statuses)
    for entry in results:
        print("  ", entry)
    table = {"a": 1, "b": 2}
    outcomes = await asyncio.gather(fetch("a", table), fetch("z", table), fetch("b", table), return_exceptions=True)
    print("outcomes:", [repr(o) for o in outcomes])
    queue = asyncio.Queue()
    for word in ["alpha", "beta", "gamma"]:
        queue.put_nowait(word)
    drained = []
    while not queue.empty():
        drained.append((await queue.get()).upper())
    print("drained:", drained)
    return len(results)


count = asyncio.run(main())
print("results:", count)
print("\n".join(log))
print(asyncio.iscoroutinefunction(main), type(ticker(1)).__name__)
