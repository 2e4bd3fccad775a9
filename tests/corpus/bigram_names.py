"""A character bigram language model over embedded names, sampled with a seeded RNG (microgpt in miniature)."""
import math
import random

random.seed(42)

NAMES = """emma olivia ava isabella sophia mia amelia harper evelyn abigail emily ella
elizabeth camila luna sofia avery mila aria scarlett penelope layla chloe victoria
madison eleanor grace nora riley zoey hannah hazel lily ellie violet lillian zoe""".split()
random.shuffle(NAMES)
print("num docs:", len(NAMES), "first:", NAMES[:3])

characters = sorted(set("".join(NAMES)))
bos = len(characters)  # begin/end-of-sequence token
vocab_size = bos + 1
print("vocab size:", vocab_size, "".join(characters))

counts = [[1] * vocab_size for _ in range(vocab_size)]  # add-one smoothing
for name in NAMES:
    tokens = [bos] + [characters.index(ch) for ch in name] + [bos]
    for a, b in zip(tokens, tokens[1:]):
        counts[a][b] += 1


def probabilities(row):
    total = sum(row)
    return [c / total for c in row]


table = [probabilities(row) for row in counts]
log_likelihood = 0.0
n_pairs = 0
for name in NAMES:
    tokens = [bos] + [characters.index(ch) for ch in name] + [bos]
    for a, b in zip(tokens, tokens[1:]):
        log_likelihood += math.log(table[a][b])
        n_pairs += 1
print(f"pairs: {n_pairs}, mean nll: {-log_likelihood / n_pairs!r}")

start_row = table[bos]
top = sorted(range(vocab_size), key=lambda i: -start_row[i])[:5]
print("likely first letters:", [(characters[i] if i < bos else "<bos>", round(start_row[i], 4)) for i in top])

temperature = 0.8
for sample_index in range(8):
    token = bos
    letters = []
    while len(letters) < 12:
        weights = [p ** (1 / temperature) for p in table[token]]
        token = random.choices(range(vocab_size), weights=weights)[0]
        if token == bos:
            break
        letters.append(characters[token])
    print(f"sample {sample_index + 1}: {''.join(letters)}")
