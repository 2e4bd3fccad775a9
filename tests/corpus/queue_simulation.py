"""Discrete-event bank queue simulation: heapq events, deque queues, seeded random, running statistics."""
import heapq
import random
from collections import deque

random.seed(2024)

TELLERS = 2
CUSTOMERS = 14
ARRIVAL_RATE = 1 / 3.0
SERVICE_MEAN = 5.0


class Customer:
    count = 0

    def __init__(self, arrival):
        Customer.count += 1
        self.id = Customer.count
        self.arrival = arrival
        self.service = round(random.expovariate(1 / SERVICE_MEAN), 3)


def simulate():
    events = []  # (time, sequence, kind, payload): the sequence number breaks time ties
    sequence = 0
    t = 0.0
    for _ in range(CUSTOMERS):
        t = round(t + random.expovariate(ARRIVAL_RATE), 3)
        heapq.heappush(events, (t, sequence, "arrive", Customer(t)))
        sequence += 1
    waiting = deque()
    free = TELLERS
    waits = []
    log = []
    while events:
        now, _, kind, customer = heapq.heappop(events)
        if kind == "arrive":
            waiting.append(customer)
        else:
            free += 1
            log.append(f"{now:7.3f} done   #{customer.id:<2}")
        while free and waiting:
            nxt = waiting.popleft()
            free -= 1
            waits.append(now - nxt.arrival)
            log.append(f"{now:7.3f} start  #{nxt.id:<2} waited {now - nxt.arrival:6.3f}")
            heapq.heappush(events, (round(now + nxt.service, 3), sequence, "leave", nxt))
            sequence += 1
    return log, waits, now


log, waits, end = simulate()
print("\n".join(log[:12]))
print("...")
print("customers:", Customer.count, "finished at", end)
print("mean wait:", round(sum(waits) / len(waits), 4), "max wait:", round(max(waits), 3))
print("waited at all:", sum(w > 0 for w in waits), "of", len(waits))
histogram = [0] * 4
for w in waits:
    histogram[min(int(w // 5), 3)] += 1
for i, n in enumerate(histogram):
    print(f"{i * 5:>2}-{i * 5 + 5 if i < 3 else '  ':<2} {'#' * n}")
