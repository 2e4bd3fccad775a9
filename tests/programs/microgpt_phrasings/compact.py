"""microgpt, terse: a tiny GPT with scalar autograd, trained on names with Adam, then sampled."""
import math, os, random

random.seed(42)
if not os.path.exists("input.txt"):
    import urllib.request
    urllib.request.urlretrieve("https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt", "input.txt")
docs = [l.strip() for l in open("input.txt").read().strip().split("\n") if l.strip()]
random.shuffle(docs)
print(f"num docs: {len(docs)}")
chars = sorted(set("".join(docs)))
BOS = len(chars)
vocab_size = len(chars) + 1
print(f"vocab size: {vocab_size}")


class V:
    __slots__ = "data", "grad", "children", "local_grads"

    def __init__(s, data, children=(), local_grads=()):
        s.data, s.grad, s.children, s.local_grads = data, 0, children, local_grads

    def __add__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.data + o.data, (s, o), (1, 1))

    def __mul__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.data * o.data, (s, o), (o.data, s.data))

    __radd__, __rmul__ = __add__, __mul__
    __pow__ = lambda s, k: V(s.data**k, (s,), (k * s.data ** (k - 1),))
    log = lambda s: V(math.log(s.data), (s,), (1 / s.data,))
    exp = lambda s: V(math.exp(s.data), (s,), (math.exp(s.data),))
    relu = lambda s: V(max(0, s.data), (s,), (float(s.data > 0),))
    __neg__ = lambda s: s * -1
    __sub__ = lambda s, o: s + -o
    __rsub__ = lambda s, o: -s + o
    __truediv__ = lambda s, o: s * o**-1
    __rtruediv__ = lambda s, o: o * s**-1

    def backward(s):
        topo, seen = [], set()

        def build(v):
            if v not in seen:
                seen.add(v)
                for c in v.children:
                    build(c)
                topo.append(v)

        build(s)
        s.grad = 1
        for v in reversed(topo):
            for c, g in zip(v.children, v.local_grads):
                c.grad += g * v.grad


embedding_size = 16
num_heads = 4
num_layers = 1
block_size = 16
head_size = embedding_size // num_heads
E = embedding_size
mat = lambda rows, cols, std=0.08: [[V(random.gauss(0, std)) for _ in range(cols)] for _ in range(rows)]
sd = {"wte": mat(vocab_size, E), "wpe": mat(block_size, E), "lm_head": mat(vocab_size, E)}
for i in range(num_layers):
    sd.update({f"{i}.{k}": mat(*shape) for k, shape in zip("wq wk wv wo fc1 fc2".split(), [(E, E)] * 4 + [(4 * E, E), (E, 4 * E)])})
params = [p for m in sd.values() for row in m for p in row]
print(f"num params: {len(params)}")

linear = lambda x, w: [sum(a * b for a, b in zip(row, x)) for row in w]
rmsnorm = lambda x: (lambda s: [v * s for v in x])((sum(v * v for v in x) / len(x) + 1e-5) ** -0.5)
vadd = lambda x, y: [a + b for a, b in zip(x, y)]


def softmax(z):
    m = max(v.data for v in z)
    e = [(v - m).exp() for v in z]
    t = sum(e)
    return [v / t for v in e]


def gpt(tok, pos, keys, vals):
    x = rmsnorm(vadd(sd["wte"][tok], sd["wpe"][pos]))
    for i in range(num_layers):
        r, x = x, rmsnorm(x)
        q, k, v = (linear(x, sd[f"{i}.{n}"]) for n in ("wq", "wk", "wv"))
        keys[i].append(k)
        vals[i].append(v)
        out = []
        for h in range(num_heads):
            hs = slice(h * head_size, h * head_size + head_size)
            w = softmax([sum(a * b for a, b in zip(q[hs], k[hs])) / head_size**0.5 for k in keys[i]])
            out += [sum(a * v[hs][j] for a, v in zip(w, vals[i])) for j in range(head_size)]
        x = vadd(linear(out, sd[f"{i}.wo"]), r)
        r, x = x, rmsnorm(x)
        x = vadd(linear([a.relu() for a in linear(x, sd[f"{i}.fc1"])], sd[f"{i}.fc2"]), r)
    return linear(x, sd["lm_head"])


learning_rate = 0.01
beta1 = 0.85
beta2 = 0.99
eps = 1e-8
m, v = [0.0] * len(params), [0.0] * len(params)
num_steps = 1000
for step in range(num_steps):
    toks = [BOS, *map(chars.index, docs[step % len(docs)]), BOS]
    n = min(block_size, len(toks) - 1)
    keys, vals = [[] for _ in range(num_layers)], [[] for _ in range(num_layers)]
    loss = 1 / n * sum([-softmax(gpt(toks[p], p, keys, vals))[toks[p + 1]].log() for p in range(n)])
    loss.backward()
    lr = learning_rate * (1 - step / num_steps)
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad**2
        m_hat, v_hat = m[i] / (1 - beta1 ** (step + 1)), v[i] / (1 - beta2 ** (step + 1))
        p.data -= lr * m_hat / (v_hat**0.5 + eps)
        p.grad = 0
    print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss.data:.4f}")

temperature = 0.5
print("\n--- inference (new, hallucinated names) ---")
for i in range(20):
    keys, vals, tok, name = [[] for _ in range(num_layers)], [[] for _ in range(num_layers)], BOS, ""
    for p in range(block_size):
        probs = softmax([l / temperature for l in gpt(tok, p, keys, vals)])
        tok = random.choices(range(vocab_size), weights=[x.data for x in probs])[0]
        if tok == BOS:
            break
        name += chars[tok]
    print(f"sample {i + 1:2d}: {name}")
