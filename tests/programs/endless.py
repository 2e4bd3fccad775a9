print("num docs: 3", flush=True)
while True:
    pass
