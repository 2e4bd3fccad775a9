"""Sorting: key functions, stable multi-pass sorts, reverse, attrgetter/itemgetter naming attributes by string."""
from operator import attrgetter, itemgetter


class Student:
    def __init__(self, name, grade, age, house):
        self.name = name
        self.grade = grade
        self.age = age
        self.house = house

    def __repr__(self):
        return f"{self.name}({self.grade},{self.age})"


roster = [
    Student("Hana", 88, 17, "red"),
    Student("Ivo", 92, 16, "blue"),
    Student("Jun", 88, 16, "blue"),
    Student("Kai", 75, 18, "red"),
    Student("Lea", 92, 17, "green"),
    Student("Mo", 60, 16, "green"),
]

print(sorted(roster, key=attrgetter("grade")))
print(sorted(roster, key=attrgetter("grade", "age"), reverse=True))
# Stable sorting: sort by the secondary key first, then by the primary key.
by_age = sorted(roster, key=lambda s: s.age)
print(sorted(by_age, key=lambda s: s.house))
print(sorted(roster, key=lambda s: (-s.grade, s.name)))
print(min(roster, key=attrgetter("age")), max(roster, key=lambda s: (s.grade, -s.age)))

rows = [("b", 2, 9.5), ("a", 2, 1.0), ("c", 1, 9.5), ("a", 1, 3.3)]
print(sorted(rows), sorted(rows, key=itemgetter(2, 0)), sorted(rows, key=itemgetter(1), reverse=True))

words = ["banana", "Apple", "cherry", "apple", "Banana", "date"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=lambda w: (len(w), w)))
print(sorted(words, key=lambda w: w[::-1]), sorted(set(map(str.lower, words))))


def grade_letter(student):
    return "ABCDF"[min(4, max(0, (99 - student.grade) // 10))]


for letter in sorted({grade_letter(s) for s in roster}):
    names = sorted(s.name for s in roster if grade_letter(s) == letter)
    print(letter, names)
scores = {"zed": 3, "amy": 9, "bo": 9, "cy": 1}
print(sorted(scores, key=scores.get), sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])))
nested = [[3, 1], [2], [1, 1, 1], []]
print(sorted(nested), sorted(nested, key=len), sorted(nested, key=sum, reverse=True))
inventory = list(roster)
inventory.sort(key=attrgetter("house", "name"))
print([f"{s.house}:{s.name}" for s in inventory])
