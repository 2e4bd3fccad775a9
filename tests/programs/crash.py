print("num docs: 3")
raise SystemExit("boom")
