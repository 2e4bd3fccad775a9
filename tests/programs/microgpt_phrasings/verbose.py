#!/usr/bin/env python3
"""A tiny GPT language model, trained and sampled in pure Python.

This program implements everything from scratch:

* a scalar automatic-differentiation engine (the ``Value`` class),
* a one-layer transformer with multi-head causal self-attention and an MLP block,
* the Adam optimiser,
* temperature sampling of new names.

Usage: run it in a folder holding the names dataset as ``input.txt`` (it is downloaded when
missing). It trains for ``num_steps`` steps, printing the loss of every step, then prints 20
sampled names.
"""

import math
import os
import random
from typing import Dict, List, Tuple

# ----------------------------------------------------------------------------------------------
# Configuration
# ----------------------------------------------------------------------------------------------

DATASET_PATH = "input.txt"
DATASET_URL = "https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt"
RANDOM_SEED = 42

# Model sizes.
embedding_size: int = 16
num_heads: int = 4
num_layers: int = 1
block_size: int = 16
head_size: int = embedding_size // num_heads

# Optimisation.
learning_rate: float = 0.01
beta1: float = 0.85
beta2: float = 0.99
eps: float = 1e-8
num_steps: int = 1000

# Sampling.
temperature: float = 0.5
num_samples: int = 20
initial_std: float = 0.08


# ----------------------------------------------------------------------------------------------
# Automatic differentiation
# ----------------------------------------------------------------------------------------------


class Value:
    """A scalar that remembers how it was computed, so that gradients can flow back through it.

    Attributes:
        data: the scalar value itself.
        grad: the derivative of the final loss with respect to this value (filled by backward).
        children: the values this one was computed from.
        local_grads: the derivative of this value with respect to each child, in the same order.
    """

    __slots__ = ("data", "grad", "children", "local_grads")

    def __init__(self, data: float, children: tuple = (), local_grads: tuple = ()) -> None:
        self.data = data
        self.grad = 0
        self.children = children
        self.local_grads = local_grads

    @staticmethod
    def wrap(other: "Value | float") -> "Value":
        """Turn a plain number into a constant node; leave a Value as it is."""
        if isinstance(other, Value):
            return other
        return Value(other)

    # -- Primitive operations: each records its local derivatives. --------------------------

    def __add__(self, other: "Value | float") -> "Value":
        other = Value.wrap(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other: "Value | float") -> "Value":
        other = Value.wrap(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, exponent: float) -> "Value":
        derivative = exponent * self.data ** (exponent - 1)
        return Value(self.data**exponent, (self,), (derivative,))

    def log(self) -> "Value":
        """Natural logarithm."""
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self) -> "Value":
        """Exponential."""
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self) -> "Value":
        """Rectified linear unit: max(0, x)."""
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    # -- Derived operations, expressed with the primitives above. ----------------------------

    def __neg__(self) -> "Value":
        return self * -1

    def __radd__(self, other: float) -> "Value":
        return self + other

    def __sub__(self, other: "Value | float") -> "Value":
        return self + (-other)

    def __rsub__(self, other: float) -> "Value":
        return other + (-self)

    def __rmul__(self, other: float) -> "Value":
        return self * other

    def __truediv__(self, other: "Value | float") -> "Value":
        return self * other**-1

    def __rtruediv__(self, other: float) -> "Value":
        return other * self**-1

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    # -- Backpropagation. ------------------------------------------------------------------------

    def topological_order(self) -> List["Value"]:
        """Every node this value depends on, each after all of its children."""
        order: List[Value] = []
        visited = set()

        def visit(node: Value) -> None:
            if node in visited:
                return
            visited.add(node)
            for child in node.children:
                visit(child)
            order.append(node)

        visit(self)
        return order

    def backward(self) -> None:
        """Compute the gradient of this value with respect to every node it depends on."""
        order = self.topological_order()
        self.grad = 1
        for node in reversed(order):
            for child, local_grad in zip(node.children, node.local_grads):
                child.grad += local_grad * node.grad


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


def load_documents(path: str) -> List[str]:
    """Read the dataset (downloading it first if needed): one non-empty name per line."""
    if not os.path.exists(path):
        import urllib.request

        urllib.request.urlretrieve(DATASET_URL, path)
    with open(path) as dataset_file:
        text = dataset_file.read()
    documents: List[str] = []
    for line in text.strip().split("\n"):
        line = line.strip()
        if line:
            documents.append(line)
    return documents


class Tokenizer:
    """Character-level tokenizer with one extra token marking the beginning and end of a name."""

    def __init__(self, documents: List[str]) -> None:
        self.characters: List[str] = sorted(set("".join(documents)))
        self.bos_token: int = len(self.characters)
        self.vocab_size: int = len(self.characters) + 1

    def encode(self, document: str) -> List[int]:
        tokens = [self.bos_token]
        for character in document:
            tokens.append(self.characters.index(character))
        tokens.append(self.bos_token)
        return tokens

    def decode(self, tokens: List[int]) -> str:
        return "".join(self.characters[token] for token in tokens)


# ----------------------------------------------------------------------------------------------
# Model
# ----------------------------------------------------------------------------------------------

Matrix = List[List[Value]]
Vector = List[Value]


def random_matrix(rows: int, columns: int, std: float = initial_std) -> Matrix:
    """A rows x columns matrix of parameters drawn from a normal distribution."""
    matrix: Matrix = []
    for _ in range(rows):
        row: Vector = []
        for _ in range(columns):
            row.append(Value(random.gauss(0, std)))
        matrix.append(row)
    return matrix


def initialise_weights(vocab_size: int) -> Dict[str, Matrix]:
    """All weight matrices of the model, by name, created in a fixed order."""
    weights: Dict[str, Matrix] = {}
    weights["token_embedding"] = random_matrix(vocab_size, embedding_size)
    weights["position_embedding"] = random_matrix(block_size, embedding_size)
    weights["output_head"] = random_matrix(vocab_size, embedding_size)
    for layer in range(num_layers):
        prefix = f"layer{layer}."
        weights[prefix + "query"] = random_matrix(embedding_size, embedding_size)
        weights[prefix + "key"] = random_matrix(embedding_size, embedding_size)
        weights[prefix + "value"] = random_matrix(embedding_size, embedding_size)
        weights[prefix + "attention_output"] = random_matrix(embedding_size, embedding_size)
        weights[prefix + "mlp_up"] = random_matrix(4 * embedding_size, embedding_size)
        weights[prefix + "mlp_down"] = random_matrix(embedding_size, 4 * embedding_size)
    return weights


def flatten_parameters(weights: Dict[str, Matrix]) -> List[Value]:
    parameters: List[Value] = []
    for matrix in weights.values():
        for row in matrix:
            for entry in row:
                parameters.append(entry)
    return parameters


def dot(a: Vector, b: Vector) -> Value:
    """Sum of elementwise products, accumulated left to right from 0."""
    total = 0
    for a_i, b_i in zip(a, b):
        total = total + a_i * b_i
    return total


def linear(x: Vector, matrix: Matrix) -> Vector:
    """Matrix-vector product: one dot product per row of the matrix."""
    outputs: Vector = []
    for row in matrix:
        outputs.append(dot(row, x))
    return outputs


def softmax(logits: Vector) -> Vector:
    """Numerically stable softmax: the largest logit is subtracted before exponentiating."""
    largest = logits[0].data
    for logit in logits[1:]:
        if logit.data > largest:
            largest = logit.data
    exponentials: Vector = []
    for logit in logits:
        exponentials.append((logit - largest).exp())
    total = 0
    for exponential in exponentials:
        total = total + exponential
    probabilities: Vector = []
    for exponential in exponentials:
        probabilities.append(exponential / total)
    return probabilities


def rmsnorm(x: Vector) -> Vector:
    """Scale a vector to unit root-mean-square."""
    mean_square = dot(x, x) / len(x)
    scale = (mean_square + 1e-5) ** -0.5
    normalised: Vector = []
    for x_i in x:
        normalised.append(x_i * scale)
    return normalised


def add_vectors(a: Vector, b: Vector) -> Vector:
    result: Vector = []
    for a_i, b_i in zip(a, b):
        result.append(a_i + b_i)
    return result


KeyValueCache = List[List[Vector]]


def new_cache() -> Tuple[KeyValueCache, KeyValueCache]:
    """Empty key and value caches, one list per layer."""
    key_cache: KeyValueCache = []
    value_cache: KeyValueCache = []
    for _ in range(num_layers):
        key_cache.append([])
        value_cache.append([])
    return key_cache, value_cache


def self_attention(query: Vector, keys: List[Vector], values: List[Vector]) -> Vector:
    """Multi-head attention of one query over every cached position; the heads concatenated."""
    attended: Vector = []
    for head in range(num_heads):
        start = head * head_size
        end = start + head_size
        query_head = query[start:end]
        attention_logits: Vector = []
        for key in keys:
            attention_logits.append(dot(query_head, key[start:end]) / head_size**0.5)
        attention = softmax(attention_logits)
        for j in range(head_size):
            total = 0
            for t in range(len(values)):
                total = total + attention[t] * values[t][start + j]
            attended.append(total)
    return attended


def gpt(weights: Dict[str, Matrix], token: int, position: int,
        key_cache: KeyValueCache, value_cache: KeyValueCache) -> Vector:
    """The logits of the next token, given one token at one position and the caches so far."""
    x = add_vectors(weights["token_embedding"][token], weights["position_embedding"][position])
    x = rmsnorm(x)
    for layer in range(num_layers):
        prefix = f"layer{layer}."
        # Attention block.
        residual = x
        x = rmsnorm(x)
        query = linear(x, weights[prefix + "query"])
        key = linear(x, weights[prefix + "key"])
        value = linear(x, weights[prefix + "value"])
        key_cache[layer].append(key)
        value_cache[layer].append(value)
        attended = self_attention(query, key_cache[layer], value_cache[layer])
        x = linear(attended, weights[prefix + "attention_output"])
        x = add_vectors(x, residual)
        # MLP block.
        residual = x
        x = rmsnorm(x)
        x = linear(x, weights[prefix + "mlp_up"])
        activated: Vector = []
        for x_i in x:
            activated.append(x_i.relu())
        x = linear(activated, weights[prefix + "mlp_down"])
        x = add_vectors(x, residual)
    return linear(x, weights["output_head"])


# ----------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------


class Adam:
    """The Adam optimiser with a linearly decaying learning rate."""

    def __init__(self, parameters: List[Value]) -> None:
        self.parameters = parameters
        self.first_moments: List[float] = [0.0] * len(parameters)
        self.second_moments: List[float] = [0.0] * len(parameters)

    def step(self, step: int) -> None:
        step_learning_rate = learning_rate * (1 - step / num_steps)
        for i, parameter in enumerate(self.parameters):
            gradient = parameter.grad
            self.first_moments[i] = beta1 * self.first_moments[i] + (1 - beta1) * gradient
            self.second_moments[i] = beta2 * self.second_moments[i] + (1 - beta2) * gradient**2
            first_hat = self.first_moments[i] / (1 - beta1 ** (step + 1))
            second_hat = self.second_moments[i] / (1 - beta2 ** (step + 1))
            parameter.data -= step_learning_rate * first_hat / (second_hat**0.5 + eps)
            parameter.grad = 0


def document_loss(weights: Dict[str, Matrix], tokens: List[int]) -> Value:
    """Mean cross-entropy of predicting each next token of one document."""
    length = min(block_size, len(tokens) - 1)
    key_cache, value_cache = new_cache()
    losses: Vector = []
    for position in range(length):
        logits = gpt(weights, tokens[position], position, key_cache, value_cache)
        probabilities = softmax(logits)
        target = tokens[position + 1]
        losses.append(-probabilities[target].log())
    total = 0
    for loss in losses:
        total = total + loss
    return (1 / length) * total


def train(weights: Dict[str, Matrix], parameters: List[Value], documents: List[str], tokenizer: Tokenizer) -> None:
    optimiser = Adam(parameters)
    for step in range(num_steps):
        document = documents[step % len(documents)]
        loss = document_loss(weights, tokenizer.encode(document))
        loss.backward()
        optimiser.step(step)
        print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss.data:.4f}")


# ----------------------------------------------------------------------------------------------
# Sampling
# ----------------------------------------------------------------------------------------------


def sample_name(weights: Dict[str, Matrix], tokenizer: Tokenizer) -> str:
    """Generate one name, one character at a time, until the end token or the block size."""
    key_cache, value_cache = new_cache()
    token = tokenizer.bos_token
    generated: List[int] = []
    for position in range(block_size):
        logits = gpt(weights, token, position, key_cache, value_cache)
        scaled: Vector = []
        for logit in logits:
            scaled.append(logit / temperature)
        probabilities = softmax(scaled)
        probability_values: List[float] = []
        for probability in probabilities:
            probability_values.append(probability.data)
        token = random.choices(range(tokenizer.vocab_size), weights=probability_values)[0]
        if token == tokenizer.bos_token:
            break
        generated.append(token)
    return tokenizer.decode(generated)


def main() -> None:
    random.seed(RANDOM_SEED)
    documents = load_documents(DATASET_PATH)
    random.shuffle(documents)
    print(f"num docs: {len(documents)}")

    tokenizer = Tokenizer(documents)
    print(f"vocab size: {tokenizer.vocab_size}")

    weights = initialise_weights(tokenizer.vocab_size)
    parameters = flatten_parameters(weights)
    print(f"num params: {len(parameters)}")

    train(weights, parameters, documents, tokenizer)

    print("\n--- inference (new, hallucinated names) ---")
    for sample_index in range(num_samples):
        name = sample_name(weights, tokenizer)
        print(f"sample {sample_index + 1:2d}: {name}")


if __name__ == "__main__":
    main()
