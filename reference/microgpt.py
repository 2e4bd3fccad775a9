"""microgpt: a tiny GPT trained and sampled with a scalar autograd engine, in pure Python.

Run it in a folder holding the names dataset as input.txt. It trains a one-layer transformer
for 1000 Adam steps on the names, then samples 20 new ones.
"""
import math
import os
import random

random.seed(42)

# --- Dataset: one name per line, shuffled ---------------------------------------------------
if not os.path.exists("input.txt"):
    import urllib.request

    names_url = "https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt"
    urllib.request.urlretrieve(names_url, "input.txt")
with open("input.txt") as dataset_file:
    lines = dataset_file.read().strip().split("\n")
documents = [line.strip() for line in lines if line.strip()]
random.shuffle(documents)
print(f"num docs: {len(documents)}")

# --- Tokenizer: one token per distinct character, plus a begin/end-of-sequence token --------
characters = sorted(set("".join(documents)))
bos_token = len(characters)
vocab_size = len(characters) + 1
print(f"vocab size: {vocab_size}")


# --- Autograd: a scalar node that remembers how it was computed ------------------------------
class Value:
    """A scalar with a gradient, its children and the local gradient towards each child."""

    __slots__ = ("data", "grad", "children", "local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self.children = children
        self.local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, exponent):
        return Value(self.data**exponent, (self,), (exponent * self.data ** (exponent - 1),))

    def log(self):
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self):
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    # Derived operations, built only from the primitives above.
    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        """Accumulate d(self)/d(node) into every node's grad, in reverse topological order."""
        order = []
        visited = set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for child in node.children:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1
        for node in reversed(order):
            for child, local_grad in zip(node.children, node.local_grads):
                child.grad += local_grad * node.grad


# --- Model sizes and parameters ----------------------------------------------------------------
embedding_size = 16
num_heads = 4
num_layers = 1
block_size = 16
head_size = embedding_size // num_heads


def random_matrix(rows, columns, std=0.08):
    return [[Value(random.gauss(0, std)) for _ in range(columns)] for _ in range(rows)]


weights = {
    "token_embedding": random_matrix(vocab_size, embedding_size),
    "position_embedding": random_matrix(block_size, embedding_size),
    "output_head": random_matrix(vocab_size, embedding_size),
}
for layer in range(num_layers):
    weights[f"layer{layer}.query"] = random_matrix(embedding_size, embedding_size)
    weights[f"layer{layer}.key"] = random_matrix(embedding_size, embedding_size)
    weights[f"layer{layer}.value"] = random_matrix(embedding_size, embedding_size)
    weights[f"layer{layer}.attention_output"] = random_matrix(embedding_size, embedding_size)
    weights[f"layer{layer}.mlp_up"] = random_matrix(4 * embedding_size, embedding_size)
    weights[f"layer{layer}.mlp_down"] = random_matrix(embedding_size, 4 * embedding_size)
parameters = [entry for matrix in weights.values() for row in matrix for entry in row]
print(f"num params: {len(parameters)}")


# --- Building blocks ---------------------------------------------------------------------------
def linear(x, matrix):
    return [sum(w_i * x_i for w_i, x_i in zip(row, x)) for row in matrix]


def softmax(logits):
    largest = max(logit.data for logit in logits)
    exponentials = [(logit - largest).exp() for logit in logits]
    total = sum(exponentials)
    return [e_i / total for e_i in exponentials]


def rmsnorm(x):
    mean_square = sum(x_i * x_i for x_i in x) / len(x)
    scale = (mean_square + 1e-5) ** -0.5
    return [x_i * scale for x_i in x]


# --- The transformer: one token at one position, with per-layer key/value caches ---------------
def gpt(token, position, key_cache, value_cache):
    token_row = weights["token_embedding"][token]
    position_row = weights["position_embedding"][position]
    x = [t + p for t, p in zip(token_row, position_row)]
    x = rmsnorm(x)
    for layer in range(num_layers):
        # Multi-head causal self-attention over the cached positions.
        residual = x
        x = rmsnorm(x)
        query = linear(x, weights[f"layer{layer}.query"])
        key = linear(x, weights[f"layer{layer}.key"])
        value = linear(x, weights[f"layer{layer}.value"])
        key_cache[layer].append(key)
        value_cache[layer].append(value)
        attended = []
        for head in range(num_heads):
            start = head * head_size
            query_head = query[start : start + head_size]
            key_heads = [cached[start : start + head_size] for cached in key_cache[layer]]
            value_heads = [cached[start : start + head_size] for cached in value_cache[layer]]
            attention_logits = [
                sum(query_head[j] * key_heads[t][j] for j in range(head_size)) / head_size**0.5
                for t in range(len(key_heads))
            ]
            attention = softmax(attention_logits)
            head_output = [
                sum(attention[t] * value_heads[t][j] for t in range(len(value_heads)))
                for j in range(head_size)
            ]
            attended.extend(head_output)
        x = linear(attended, weights[f"layer{layer}.attention_output"])
        x = [a + b for a, b in zip(x, residual)]
        # Feed-forward block: up-projection, ReLU, down-projection.
        residual = x
        x = rmsnorm(x)
        x = linear(x, weights[f"layer{layer}.mlp_up"])
        x = [x_i.relu() for x_i in x]
        x = linear(x, weights[f"layer{layer}.mlp_down"])
        x = [a + b for a, b in zip(x, residual)]
    return linear(x, weights["output_head"])


# --- Training with Adam --------------------------------------------------------------------------
learning_rate = 0.01
beta1 = 0.85
beta2 = 0.99
eps = 1e-8
first_moments = [0.0] * len(parameters)
second_moments = [0.0] * len(parameters)
num_steps = 1000
for step in range(num_steps):
    document = documents[step % len(documents)]
    tokens = [bos_token] + [characters.index(char) for char in document] + [bos_token]
    length = min(block_size, len(tokens) - 1)
    key_cache = [[] for _ in range(num_layers)]
    value_cache = [[] for _ in range(num_layers)]
    losses = []
    for position in range(length):
        logits = gpt(tokens[position], position, key_cache, value_cache)
        probabilities = softmax(logits)
        losses.append(-probabilities[tokens[position + 1]].log())
    loss = (1 / length) * sum(losses)
    loss.backward()
    step_learning_rate = learning_rate * (1 - step / num_steps)
    for i, parameter in enumerate(parameters):
        first_moments[i] = beta1 * first_moments[i] + (1 - beta1) * parameter.grad
        second_moments[i] = beta2 * second_moments[i] + (1 - beta2) * parameter.grad**2
        first_hat = first_moments[i] / (1 - beta1 ** (step + 1))
        second_hat = second_moments[i] / (1 - beta2 ** (step + 1))
        parameter.data -= step_learning_rate * first_hat / (second_hat**0.5 + eps)
        parameter.grad = 0
    print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss.data:.4f}")

# --- Sampling --------------------------------------------------------------------------------------
temperature = 0.5
print("\n--- inference (new, hallucinated names) ---")
for sample_index in range(20):
    key_cache = [[] for _ in range(num_layers)]
    value_cache = [[] for _ in range(num_layers)]
    token = bos_token
    name = []
    for position in range(block_size):
        logits = gpt(token, position, key_cache, value_cache)
        probabilities = softmax([logit / temperature for logit in logits])
        token = random.choices(range(vocab_size), weights=[p.data for p in probabilities])[0]
        if token == bos_token:
            break
        name.append(characters[token])
    print(f"sample {sample_index + 1:2d}: {''.join(name)}")
