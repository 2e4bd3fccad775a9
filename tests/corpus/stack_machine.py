"""A stack-machine interpreter dispatching opcodes with getattr(self, "op_" + name): method names are data."""

PROGRAM = """
push 10
store n
push 1
store acc
label loop
load n
jz end
load acc
load n
mul
store acc
load n
push 1
sub
store n
jmp loop
label end
load acc
print
push 7
push 3
mod
print
halt
"""


class VM:
    def __init__(self, source):
        self.code = [line.split() for line in source.strip().splitlines()]
        self.labels = {args[1]: i for i, args in enumerate(self.code) if args[0] == "label"}
        self.stack = []
        self.memory = {}
        self.pc = 0
        self.steps = 0
        self.output = []

    def run(self):
        while self.pc < len(self.code):
            name, *args = self.code[self.pc]
            self.pc += 1
            self.steps += 1
            if getattr(self, "op_" + name)(*args) == "halt":
                break
        return self.output

    def binary(self, fn):
        right, left = self.stack.pop(), self.stack.pop()
        self.stack.append(fn(left, right))

    def op_push(self, value):
        self.stack.append(int(value))

    def op_load(self, name):
        self.stack.append(self.memory[name])

    def op_store(self, name):
        self.memory[name] = self.stack.pop()

    def op_add(self):
        self.binary(lambda a, b: a + b)

    def op_sub(self):
        self.binary(lambda a, b: a - b)

    def op_mul(self):
        self.binary(lambda a, b: a * b)

    def op_mod(self):
        self.binary(lambda a, b: a % b)

    def op_label(self, name):
        pass

    def op_jmp(self, name):
        self.pc = self.labels[name]

    def op_jz(self, name):
        if self.stack.pop() == 0:
            self.op_jmp(name)

    def op_print(self):
        self.output.append(self.stack.pop())

    def op_halt(self):
        return "halt"


vm = VM(PROGRAM)
print("output:", vm.run())
print("steps:", vm.steps, "memory:", vm.memory, "stack:", vm.stack)
print("labels:", vm.labels)
opcodes = sorted(name[3:] for name in dir(VM) if name.startswith("op_"))
print("opcodes:", opcodes)
used = sorted({args[0] for args in vm.code})
print("unused opcodes:", [op for op in opcodes if op not in used])
try:
    VM("frobnicate 1").run()
except AttributeError as error:
    print("unknown opcode:", str(error).split("'")[-2])
