"""microgpt, functional style: the same tiny GPT with autograd nodes as plain lists and every
operation a module-level function; the optimiser is a closure over its moment lists.

Run it in a folder holding the names dataset as input.txt.
"""
import math
import os
import random
from functools import reduce

random.seed(42)

# Dataset: one name per line, shuffled.
if not os.path.exists("input.txt"):
    import urllib.request

    urllib.request.urlretrieve(
        "https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt", "input.txt"
    )
with open("input.txt") as f:
    documents = [line.strip() for line in f.read().strip().split("\n") if line.strip()]
random.shuffle(documents)
print(f"num docs: {len(documents)}")

# Tokenizer: one id per character, and one more for begin/end of a name.
characters = sorted(set("".join(documents)))
bos_token = len(characters)
vocab_size = len(characters) + 1
print(f"vocab size: {vocab_size}")

# Autograd: a node is [data, grad, children, local_grads].
DATA, GRAD, CHILDREN, LOCAL_GRADS = range(4)


def node(data, children=(), local_grads=()):
    return [data, 0, children, local_grads]


def is_node(x):
    return isinstance(x, list)


def lift(x):
    return x if is_node(x) else node(x)


def add(a, b):
    if not is_node(a):  # n + a is a + n
        a, b = b, a
    b = lift(b)
    return node(a[DATA] + b[DATA], (a, b), (1, 1))


def mul(a, b):
    if not is_node(a):  # n * a is a * n
        a, b = b, a
    b = lift(b)
    return node(a[DATA] * b[DATA], (a, b), (b[DATA], a[DATA]))


def power(a, k):
    return node(a[DATA] ** k, (a,), (k * a[DATA] ** (k - 1),))


def log(a):
    return node(math.log(a[DATA]), (a,), (1 / a[DATA],))


def exp(a):
    return node(math.exp(a[DATA]), (a,), (math.exp(a[DATA]),))


def relu(a):
    return node(max(0, a[DATA]), (a,), (float(a[DATA] > 0),))


def neg(a):
    return mul(a, -1) if is_node(a) else -a


def sub(a, b):
    return add(a, neg(b))


def div(a, b):
    return mul(a, power(b, -1) if is_node(b) else b**-1)


def total(xs):
    return reduce(add, xs, 0)


def backward(loss):
    order, visited = [], set()

    def visit(n):
        if id(n) not in visited:
            visited.add(id(n))
            for child in n[CHILDREN]:
                visit(child)
            order.append(n)

    visit(loss)
    loss[GRAD] = 1
    for n in reversed(order):
        for child, local_grad in zip(n[CHILDREN], n[LOCAL_GRADS]):
            child[GRAD] += local_grad * n[GRAD]


# Model: sizes, then every weight matrix by name, in creation order.
embedding_size = 16
num_heads = 4
num_layers = 1
block_size = 16
head_size = embedding_size // num_heads


def random_matrix(rows, columns, std=0.08):
    return [[node(random.gauss(0, std)) for _ in range(columns)] for _ in range(rows)]


shapes = {
    "token_embedding": (vocab_size, embedding_size),
    "position_embedding": (block_size, embedding_size),
    "output_head": (vocab_size, embedding_size),
}
for layer in range(num_layers):
    shapes.update({
        f"layer{layer}.query": (embedding_size, embedding_size),
        f"layer{layer}.key": (embedding_size, embedding_size),
        f"layer{layer}.value": (embedding_size, embedding_size),
        f"layer{layer}.attention_output": (embedding_size, embedding_size),
        f"layer{layer}.mlp_up": (4 * embedding_size, embedding_size),
        f"layer{layer}.mlp_down": (embedding_size, 4 * embedding_size),
    })
weights = {name: random_matrix(*shape) for name, shape in shapes.items()}
parameters = [p for matrix in weights.values() for row in matrix for p in row]
print(f"num params: {len(parameters)}")


def linear(x, matrix):
    return [total(mul(w, xi) for w, xi in zip(row, x)) for row in matrix]


def softmax(logits):
    largest = max(logit[DATA] for logit in logits)
    exps = [exp(sub(logit, largest)) for logit in logits]
    denominator = total(exps)
    return [div(e, denominator) for e in exps]


def rmsnorm(x):
    scale = power(add(div(total(mul(xi, xi) for xi in x), len(x)), 1e-5), -0.5)
    return [mul(xi, scale) for xi in x]


def elementwise_add(xs, ys):
    return [add(x, y) for x, y in zip(xs, ys)]


def attention_head(query, keys, values, start):
    q = query[start : start + head_size]
    ks = [k[start : start + head_size] for k in keys]
    vs = [v[start : start + head_size] for v in values]
    scores = softmax([div(total(mul(q[j], k[j]) for j in range(head_size)), head_size**0.5) for k in ks])
    return [total(mul(scores[t], vs[t][j]) for t in range(len(vs))) for j in range(head_size)]


def gpt(token, position, key_cache, value_cache):
    x = rmsnorm(elementwise_add(weights["token_embedding"][token], weights["position_embedding"][position]))
    for layer in range(num_layers):
        w = lambda name: weights[f"layer{layer}.{name}"]
        residual = x
        x = rmsnorm(x)
        query, key, value = linear(x, w("query")), linear(x, w("key")), linear(x, w("value"))
        key_cache[layer].append(key)
        value_cache[layer].append(value)
        heads = [attention_head(query, key_cache[layer], value_cache[layer], h * head_size) for h in range(num_heads)]
        x = elementwise_add(linear([out for head in heads for out in head], w("attention_output")), residual)
        residual = x
        hidden = [relu(h) for h in linear(rmsnorm(x), w("mlp_up"))]
        x = elementwise_add(linear(hidden, w("mlp_down")), residual)
    return linear(x, weights["output_head"])


def fresh_caches():
    return [[] for _ in range(num_layers)], [[] for _ in range(num_layers)]


# Training with Adam.
learning_rate = 0.01
beta1 = 0.85
beta2 = 0.99
eps = 1e-8


def adam(params):
    first = [0.0] * len(params)
    second = [0.0] * len(params)

    def update(step, lr):
        for i, p in enumerate(params):
            first[i] = beta1 * first[i] + (1 - beta1) * p[GRAD]
            second[i] = beta2 * second[i] + (1 - beta2) * p[GRAD] ** 2
            first_hat = first[i] / (1 - beta1 ** (step + 1))
            second_hat = second[i] / (1 - beta2 ** (step + 1))
            p[DATA] -= lr * first_hat / (second_hat**0.5 + eps)
            p[GRAD] = 0

    return update


def document_loss(document):
    tokens = [bos_token, *map(characters.index, document), bos_token]
    length = min(block_size, len(tokens) - 1)
    key_cache, value_cache = fresh_caches()
    losses = [
        neg(log(softmax(gpt(tokens[position], position, key_cache, value_cache))[tokens[position + 1]]))
        for position in range(length)
    ]
    return mul(1 / length, total(losses))


optimise = adam(parameters)
num_steps = 1000
for step in range(num_steps):
    loss = document_loss(documents[step % len(documents)])
    backward(loss)
    optimise(step, learning_rate * (1 - step / num_steps))
    print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss[DATA]:.4f}")


# Sampling.
temperature = 0.5


def sample():
    key_cache, value_cache = fresh_caches()
    token, name = bos_token, ""
    for position in range(block_size):
        probabilities = softmax([div(logit, temperature) for logit in gpt(token, position, key_cache, value_cache)])
        token = random.choices(range(vocab_size), weights=[p[DATA] for p in probabilities])[0]
        if token == bos_token:
            break
        name += characters[token]
    return name


print("\n--- inference (new, hallucinated names) ---")
for sample_index in range(20):
    print(f"sample {sample_index + 1:2d}: {sample()}")
