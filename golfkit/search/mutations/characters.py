"""Character edits on the text itself: delete one character, or put another character of the
text's own alphabet in its place.

Below every rule the tree knows lies the text: a character dropped from a name read nowhere that
matters, a digit that changes nothing printed, a letter swapped so that a name repeats one the
compressor already saw. Blind edits find what no rule names; most break the program, so only those
that still compile are offered, and the run decides the rest.

A text of n characters and an alphabet of k has n deletions and n*(k-1) substitutions: each kind
offers at most ``char_edit_sites`` of them (``PassContext.settings``, default 300), drawn with a
``random.Random`` seeded by the ``seed`` setting (default 0) and tried in that order until as many
compile (or eight times as many have been tried), then numbered by position. Same text, same
settings: same sites.
"""

from __future__ import annotations

import random

from golfkit.passes.base import Site
from golfkit.search.mutations.base import RUN_DECIDES, Mutation, compile_check
from golfkit.search.mutations.printing import source_text

DEFAULT_SITES = 300
# Candidates tried per site offered, at most: most blind edits do not compile.
ATTEMPTS_PER_SITE = 8


class CharacterEdit(Mutation):
    """The sampling, numbering and application shared by the two character kinds. A site's target
    is ``(position, replacement)``: the replacement is "" for a deletion."""

    blind = True

    def edits(self, text: str) -> list[tuple[int, str]]:
        raise NotImplementedError

    def key(self, text: str, position: int, replacement: str) -> str:
        raise NotImplementedError

    @staticmethod
    def cap(context) -> int:
        return int(context.settings.get("char_edit_sites", DEFAULT_SITES))

    def memo_key(self, context) -> tuple:
        return self.cap(context), context.settings.get("seed", 0)

    def offered(self, facts, context) -> list[Site]:
        text = source_text(facts)
        cap = self.cap(context)
        candidates = self.edits(text)
        random.Random(context.settings.get("seed", 0)).shuffle(candidates)
        check = compile_check(facts)
        found = []
        for edit in candidates[: cap * ATTEMPTS_PER_SITE]:
            if len(found) >= cap:
                break
            if check(self._edited(text, [edit])):
                found.append(edit)
        return [Site(edit, self.key(text, *edit)) for edit in sorted(found)]

    def place(self, facts, site):
        return site.target

    def compatible(self, facts, sites):
        """One edit a position: a later site at a position already edited is skipped."""
        seen, kept = set(), []
        for site in sites:
            if site.target[0] not in seen:
                seen.add(site.target[0])
                kept.append(site)
        return kept

    def mutate(self, facts, sites) -> str:
        return self._edited(source_text(facts), [site.target for site in sites])

    @staticmethod
    def _edited(text: str, edits) -> str:
        pieces, end = [], len(text)
        for position, replacement in sorted(edits, reverse=True):
            pieces.append(text[position + 1:end])
            pieces.append(replacement)
            end = position
        pieces.append(text[:end])
        return "".join(reversed(pieces))


class DeleteCharacter(CharacterEdit):
    """Delete one character of the text. A site per position, keyed by position and character."""

    name = "delete-character"
    description = "delete one character of the text (sampled, only mutants that compile)"
    safety_statement = (
        f"{RUN_DECIDES}: a blind edit; compiling is all that is checked before the verified run."
    )
    example = ("x = 10\nprint(x)\n", "x= 10\nprint(x)\n")

    def edits(self, text):
        return [(position, "") for position in range(len(text))]

    def key(self, text, position, replacement):
        return f"{position} {text[position]!r}"


class SubstituteCharacter(CharacterEdit):
    """Put another character in one position, drawn from the characters the text already uses. A
    site per position and substitute, keyed by both."""

    name = "substitute-character"
    description = "replace one character by another the text uses (sampled, only mutants that compile)"
    safety_statement = (
        f"{RUN_DECIDES}: a blind edit; compiling is all that is checked before the verified run."
    )
    example = ("x=10\n", "x=11\n")

    def edits(self, text):
        alphabet = sorted(set(text))
        return [(position, char) for position, old in enumerate(text) for char in alphabet if char != old]

    def key(self, text, position, replacement):
        return f"{position} {text[position]!r}>{replacement!r}"
