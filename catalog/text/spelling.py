"""Typo tolerance against real words, in Meilisearch's spirit.

Each generation carries `words.tsv`: every word of the catalog (folded, unstemmed) with
its count. A query word of 5+ letters that is not a catalog word may differ by 1 typo
(2 from 9 letters) from one that is; the closest, most frequent one replaces it. As in
Meilisearch, a typo in the first letter counts as two: people seldom miss the first letter,
so "assistant" does not become "insistant".
Comparing against words, not stems, is what lets `relya` find "relay" (Whoosh's own fuzzy
terms compare against the stem `relai`). rapidfuzz does the distance scan in C. A word no
item says in that form but the index holds in another ("tuning", where items say "tune";
"body's") is no typo: it is searched as it is, never replaced by a neighbour ("turning").
Nor is a word whose family the index holds in a form Snowball stems apart: "panicking" (English
adds a k to -ic words before -ing and -ed) is searched as "panic", not corrected to "picking";
"argument" as "arguing", where items say that.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from rapidfuzz import distance, process

from catalog.text.analysis import FUNCTION_WORDS, analyze
from catalog.text.vocabulary import fold

WORDS_FILE = "words.tsv"
MAX_COMPLETIONS = 8  # catalog words a typed prefix stands for, the most frequent first
MAX_TRACKED_PHRASES = 500_000  # two-word phrases counted at once (see count_words)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# Words a suggested phrase may not hold: the function words, and fillers of speech.
_FILLER = frozenset(FUNCTION_WORDS.split()) | {"i'm", "it's", "like", "may", "not", "yet"}


MIN_IC_WORD = 5  # "panic", "mimic"; shorter -ic words ("chic", "epic") are left alone


def family_form(word: str) -> str | None:
    """The form of `word`'s family that Snowball stems apart from it, if there is one.

    Snowball joins regular -ing and -ed forms itself ("hoping", "hope"), but not the k that
    English adds to an -ic word before them ("panicking": panic, and back), nor the e that a
    root in -dg or -gu drops before -ment ("argument": `argu`, as "arguing"; "judgment": `judg`).
    """
    for ending in ("king", "ked"):
        root = word.removesuffix(ending)
        if root != word and root.endswith("ic") and len(root) >= MIN_IC_WORD:
            return root
    if word.endswith("ic") and len(word) >= MIN_IC_WORD:
        return word + "king"
    singular = word.removesuffix("s")
    root = singular.removesuffix("ment")
    if root != singular and root.endswith(("dg", "gu")) and len(root) > 2:
        return root
    return None


def typo_budget(word: str) -> int:
    """1 typo from 5 letters, 2 from 9; shorter words must be spelled right."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def count_words(texts: Iterable[str], phrases: Counter | None = None) -> Counter:
    """Count the words of `texts`; in the same pass, count two-word phrases into `phrases`
    (pairs of words that are not filler, for autocomplete).

    Only frequent phrases are ever suggested, and a thousand hours of speech holds tens of
    millions of pairs: past MAX_TRACKED_PHRASES, the more frequent half is kept and counting
    goes on. A phrase said regularly stays among them; one said once or twice gives way.
    """
    counts: Counter = Counter()
    for text in texts:
        words = _WORD.findall(text.lower() if text.isascii() else fold(text))
        counts.update(words)
        if phrases is not None:
            phrases.update(
                f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if _phrase_word(a) and _phrase_word(b)
            )
            if len(phrases) > MAX_TRACKED_PHRASES:
                kept = dict(phrases.most_common(MAX_TRACKED_PHRASES // 2))
                phrases.clear()
                phrases.update(kept)
    return counts


def write_words(counts: Counter, folder: Path) -> None:
    lines = (f"{word}\t{n}\n" for word, n in sorted(counts.items()))
    (folder / WORDS_FILE).write_text("".join(lines), encoding="utf-8")


def _phrase_word(word: str) -> bool:
    return len(word) > 1 and word not in _FILLER


class Vocabulary:
    """The words of one generation, bucketed by length for a quick typo scan and sorted for
    prefixes."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self._by_length: dict[int, list[str]] = {}
        for word in counts:
            self._by_length.setdefault(len(word), []).append(word)
        self._sorted = sorted(counts)

    def completions(self, prefix: str, limit: int = MAX_COMPLETIONS) -> list[str]:
        """The catalog's most frequent words that begin with `prefix` (folded), longer than it."""
        prefix = fold(prefix)
        longer = (word for word in self._starting_with(prefix) if word != prefix)
        return heapq.nlargest(limit, longer, key=lambda word: (self.counts[word], word))

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._sorted, prefix)
        return self._sorted[start : bisect.bisect_left(self._sorted, prefix + "\U0010ffff", start)]

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        counts: dict[str, int] = {}
        path = folder / WORDS_FILE
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                word, _, n = line.partition("\t")
                counts[word] = int(n or 0)
        return cls(counts)

    def correction(self, word: str) -> str | None:
        """The catalog word this one is a typo of, or None if it is fine (or hopeless)."""
        budget = typo_budget(word)
        if not budget or word in self.counts or not word.isalpha():
            return None
        candidates = [
            w for size in range(len(word) - budget, len(word) + budget + 1) for w in self._by_length.get(size, ())
        ]
        matches = process.extract(word, candidates, scorer=distance.OSA.distance, score_cutoff=budget, limit=None)
        typos = {match: found + (match[0] != word[0]) for match, found, _ in matches}
        within = [match for match, count in typos.items() if count <= budget]
        return min(within, key=lambda match: (typos[match], -self.counts[match], match)) if within else None

    def said_as(self, form: str) -> str:
        """The catalog word items say for `form` (the most frequent one analysed as it is), so
        a suggestion shows "arguing", not the root `argu`; `form` itself if items say none.
        Only words beginning with its stem are read: a stem begins the words it stems."""
        terms = analyze(form)
        said = [word for word in self._starting_with(terms[0]) if analyze(word) == terms] if terms else []
        return max(said, key=lambda word: (self.counts[word], word), default=form)

    def correct(self, text: str, indexed: Callable[[str], bool] = lambda word: False) -> str | None:
        """`text` with each misspelled word replaced (by a form of its family that the index
        holds, else by the closest catalog word), or None if nothing needed correcting;
        `indexed(word)` says whether the index holds the word in some form."""
        changed = False

        def fix(match: re.Match) -> str:
            nonlocal changed
            word = fold(match.group())
            if word in self.counts or indexed(word):
                corrected = None
            else:
                form = family_form(word)
                corrected = self.said_as(form) if form and indexed(form) else self.correction(word)
            changed = changed or corrected is not None
            return corrected or match.group()

        fixed = _WORD.sub(fix, text)
        return fixed if changed else None

    def without_unknown(self, text: str, indexed: Callable[[str], bool] = lambda word: False) -> str | None:
        """`text` without words the catalog never uses in any form, or None if there are none
        (or only such words): a word no item contains cannot help, so it should not sink the query.
        Only whole words are left out: "usage-based" stays, even where items never say "usage"."""
        words = [m.group() for m in _WORD.finditer(text)]
        unknown = {w for w in words if fold(w) not in self.counts and not indexed(fold(w))}
        if len(unknown) == len(words):
            return None
        kept = " ".join(" ".join(w for w in text.split(" ") if w.strip('"-') not in unknown).split())
        return kept if kept != " ".join(text.split()) else None
