"""A tiny scalar autograd engine (micrograd style) training a small MLP with seeded random weights."""
import math
import os
import random

random.seed(1337)

# Never taken: os.devnull always exists. A contract pass may drop it; a safe pass must keep it.
if not os.path.exists(os.devnull):
    import urllib.request

    urllib.request.urlretrieve("https://example.invalid/data.txt", "data.txt")


class Value:
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

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def backward(self):
        order, visited = [], set()

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


def neuron(n_inputs):
    return [Value(random.uniform(-1, 1)) for _ in range(n_inputs + 1)]  # last entry: bias


def layer_forward(layer, x, activate=True):
    outputs = [sum((w * xi for w, xi in zip(n, x)), n[-1]) for n in layer]
    return [o.tanh() for o in outputs] if activate else outputs


hidden = [neuron(2) for _ in range(4)]
output = [neuron(4)]
parameters = [p for layer in (hidden, output) for n in layer for p in n]
inputs = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
targets = [-1.0, 1.0, 1.0, -1.0]  # XOR with tanh-friendly labels
print("parameters:", len(parameters))

learning_rate = 0.2
for step in range(60):
    predictions = [layer_forward(output, layer_forward(hidden, x), activate=False)[0] for x in inputs]
    loss = sum((p - t) ** 2 for p, t in zip(predictions, targets)) / len(targets)
    for p in parameters:
        p.grad = 0
    loss.backward()
    for p in parameters:
        p.data -= learning_rate * p.grad
    if step % 10 == 0 or step == 59:
        # repr of floats: any change to the arithmetic order shows up in the last digits.
        print(f"step {step:2d} loss {loss.data!r}")

for x, t in zip(inputs, targets):
    y = layer_forward(output, layer_forward(hidden, x), activate=False)[0]
    print(x, "->", round(y.data, 6), "target", t)
a, b = Value(2.0), Value(-3.0)
c = (a * b + a**2) / (b - 1)
c.backward()
print(repr(c.data), repr(a.grad), repr(b.grad))
