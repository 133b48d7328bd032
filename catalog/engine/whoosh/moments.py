"""Moments: the segments and chapters of one item that answer a query, found in its item document.

An item document's transcript is its segments joined, and its `chapters` field its chapter
titles joined, so a word's position in those fields tells which segment or chapter said it.
The build stores, per item, where each unit ends (in word positions), its start second
and its speaker (`schema.unit_map`); a search reads the positions of the query's words in the
page's items only and scores each unit. No index of segments is needed.

A unit scores like BM25 over its own words, times the share of the query's weight it holds
(the items' rule, so the passage that says more of the question wins a near tie), plus a
bonus for query words said close together in order; phrases must occur in the unit,
starting there. A word's weight is its idf over the items times its idf over the item's own
units, so a word the whole episode keeps saying ("podcast", in a show about podcasting) does
not decide where the answer is. A word the item's title or people hold weighs NAMING_WEIGHT
of that: it says which item answers ("arun gupta", "away from keyboard"), not where in it
("last", "apply", "job"); the intro that names the guest is seldom the answer. Units are
less normalised by length than BM25's usual 0.75 (UNIT_B): one-sentence turns ("Yes.")
would otherwise outscore the passage that answers. All measured on the judged real-material
queries.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter

from whoosh.reading import IndexReader

from catalog.engine.contract import Moment
from catalog.engine.whoosh.positions import NEAR_BOOST, near_starts, phrase_starts
from catalog.engine.whoosh.ranking import COVERAGE_POWER, K1, idf
from catalog.engine.whoosh.reads import SearchReads
from catalog.engine.whoosh.schema import speaker_keys
from catalog.search.query import ParsedQuery

UNIT_B = 0.5
MOMENTS_PER_ITEM = 3
NAMING_FIELDS = ("title", "people_text")
NAMING_WEIGHT = 0.25

FIELDS = {"transcript": False, "chapters": True}  # field: whether its units are chapters


def of_items(
    read: SearchReads,
    items: list[tuple[int, str, dict]],
    parsed: ParsedQuery,
    speaker: str | None,
    held_in: dict[tuple[str, str], dict[int, float]],
) -> dict[str, list[Moment]]:
    """The best MOMENTS_PER_ITEM units of each item — (docnum, item id, unit map) — for the
    query: any query word scores, phrases must hold; with a speaker filter, only that
    speaker's segments count. `held_in[field, word]` holds the documents whose `field` holds
    the word, as ranking read them."""
    words = list(dict.fromkeys([*parsed.scored_terms, *(w for phrase in parsed.phrases for w in phrase)]))
    items = sorted(items)  # postings are read forwards, once per word
    scored: dict[str, list[tuple[float, bool, int]]] = {item_id: [] for _, item_id, _ in items}
    naming = {
        docnum: {w for w in words if any(docnum in held_in.get((f, w), ()) for f in NAMING_FIELDS)}
        for docnum, _, _ in items
    }
    for field, is_chapter in FIELDS.items():
        if speaker and is_chapter:
            continue
        weights = {word: _idf(read.reader, field, parsed.alternatives(word)) for word in words}
        docnums = [docnum for docnum, _, _ in items]
        at = {word: read.positions(field, parsed.alternatives(word), docnums) for word in words}
        for docnum, item_id, units in items:
            layout = units[field]
            of_item = {word: at[word].get(docnum, []) for word in words}
            of_this = {w: weight * (NAMING_WEIGHT if w in naming[docnum] else 1.0) for w, weight in weights.items()}
            for seq, score in _score_units(layout["ends"], of_item, of_this, parsed).items():
                if not speaker or speaker in speaker_keys(layout["speakers"][seq]):
                    scored[item_id].append((score, is_chapter, seq))
    found = {}
    for _, item_id, units in items:
        best = sorted(scored[item_id], key=lambda entry: (-entry[0], entry[1], entry[2]))[:MOMENTS_PER_ITEM]
        if best:
            found[item_id] = [
                Moment(item_id, seq, units["chapters" if chapter else "transcript"]["starts"][seq], chapter, score)
                for score, chapter, seq in best
            ]
    return found


def term_weights(reader: IndexReader, parsed: ParsedQuery) -> dict[str, float]:
    """Each index term's weight inside a moment: rarer words count for more (a typed prefix's
    completions weigh as the one word they stand for)."""
    words = [*parsed.scored_terms, *(w for phrase in parsed.phrases for w in phrase)]
    weights = {}
    for word in words:
        weight = _idf(reader, "transcript", parsed.alternatives(word))
        weights.update(dict.fromkeys(parsed.alternatives(word), weight))
    return weights


def _idf(reader: IndexReader, field: str, terms: tuple[str, ...]) -> float:
    """Inverse document frequency over the item documents holding `field` (of the most
    common of the terms a query word stands for)."""
    return idf(reader.doc_count(), max(reader.doc_frequency(field, term) for term in terms))


def _score_units(
    ends: list[int], at: dict[str, list[int]], item_weights: dict[str, float], parsed: ParsedQuery
) -> dict[int, float]:
    """Score every unit holding a query word; units missing a phrase are left out."""
    if not ends:
        return {}
    starts = [0, *ends[:-1]]
    average = ends[-1] / len(ends) or 1

    def unit_of(position: int) -> int:
        return min(bisect_right(ends, position), len(ends) - 1)

    counts: dict[int, dict[str, int]] = {}
    for word in parsed.scored_terms:
        for position in at[word]:
            per_word = counts.setdefault(unit_of(position), {})
            per_word[word] = per_word.get(word, 0) + 1
    units_with = Counter(word for per_word in counts.values() for word in per_word)
    idf = {
        word: weight * math.log(1 + len(ends) / units_with[word]) if units_with[word] else weight
        for word, weight in item_weights.items()
    }
    wanted = sum(idf[word] for word in parsed.scored_terms)

    def norm(unit: int) -> float:
        return K1 * (1 - UNIT_B + UNIT_B * (ends[unit] - starts[unit]) / average)

    scores: dict[int, float] = {}
    for unit, per_word in counts.items():
        bm25 = sum(idf[w] * tf * (K1 + 1) / (tf + norm(unit)) for w, tf in per_word.items())
        scores[unit] = bm25 * (sum(idf[w] for w in per_word) / wanted) ** COVERAGE_POWER
    for first, second in zip(parsed.scored_terms, parsed.scored_terms[1:], strict=False):
        for unit, found in Counter(map(unit_of, near_starts(at[first], at[second]))).items():
            scores[unit] = scores.get(unit, 0.0) + NEAR_BOOST * (idf[first] + idf[second]) * found / (found + K1)
    if parsed.phrases:
        held = [(sum(idf[w] for w in p), Counter(map(unit_of, phrase_starts(p, at)))) for p in parsed.phrases]
        wanted = set.intersection(*(set(units) for _, units in held))
        scores = {
            unit: scores.get(unit, 0.0) + sum(weight * units[unit] / (units[unit] + K1) for weight, units in held)
            for unit in wanted
        }
    return scores
