"""Text processing: tokenising, word frequencies, string-keyed dicts, wrapping, key-function sorts."""
import re
import textwrap
from collections import Counter, defaultdict

TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness,
it was the spring of hope, it was the winter of despair."""

STOP_WORDS = {"it", "was", "the", "of"}

words = re.findall(r"[a-z]+", TEXT.lower())
print(len(words), "words,", len(set(words)), "distinct")

frequencies = Counter(w for w in words if w not in STOP_WORDS)
# Ties broken alphabetically so the order never depends on hashing.
ranked = sorted(frequencies.items(), key=lambda kv: (-kv[1], kv[0]))
for word, count in ranked[:6]:
    print(f"{word:<12}{'#' * count} {count}")

by_length = defaultdict(list)
for word in sorted(set(words)):
    by_length[len(word)].append(word)
for length in sorted(by_length):
    print(length, ", ".join(by_length[length]))

by_initial = {}
for word in words:
    by_initial.setdefault(word[0], set()).add(word)
print({k: len(v) for k, v in sorted(by_initial.items()) if len(v) > 1})

# Title-case the phrases between commas and collapse the whitespace.
phrases = [" ".join(p.split()).capitalize() for p in TEXT.split(",")]
print(phrases[2], "|", phrases[-1])
print(textwrap.fill(" ".join(p.split()[-1] for p in phrases), width=40))

vowels = sum(TEXT.lower().count(v) for v in "aeiou")
print("vowels:", vowels, "ratio:", round(vowels / len(TEXT), 4))
acronym = "".join(w[0].upper() for w in "portable network graphics".split())
print(acronym, "racecar"[::-1] == "racecar", "Darkness".swapcase(), "epoch".center(11, "."))
caesar = str.maketrans("abcdefghijklmnopqrstuvwxyz", "defghijklmnopqrstuvwxyzabc")
print("best of times".translate(caesar), "|", "x".join("abc"), "|", " a-b-c ".strip().split("-", 1))
longest = max(words, key=len)
print("longest:", longest, "shortest non-stop:", min((w for w in words if w not in STOP_WORDS), key=len))
print(sorted(set(words) - STOP_WORDS, key=lambda w: (w[-1], w))[:8])
