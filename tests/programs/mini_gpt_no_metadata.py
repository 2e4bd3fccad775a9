"""A stand-in for microgpt's log shape: metadata, a loss trace, samples."""
import random

random.seed(1)
num_steps = 5
loss = 3.0
for step in range(num_steps):
    loss *= 0.9 + random.random() / 10
    print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss:.4f}")
print("\n--- inference (new, hallucinated names) ---")
for index in range(3):
    name = "".join(random.choice("abc") for _ in range(4))
    print(f"sample {index + 1:2d}: {name}")
