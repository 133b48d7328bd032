"""Typo tolerance against real catalog words: 1 typo from 5 letters, 2 from 9."""

from collections import Counter

from catalog.text.analysis import analyze
from catalog.text.spelling import Vocabulary, count_words, typo_budget, write_words

WORDS = Vocabulary({"relay": 40, "rely": 2, "plyometrics": 12, "marathon": 30, "strides": 9, "race": 50, "mile": 20})


def test_budget_grows_with_length():
    assert [typo_budget(w) for w in ("mile", "relay", "marathon", "plyometrics")] == [0, 1, 1, 2]


def test_corrections():
    assert WORDS.correction("relya") == "relay"  # a transposition is one typo
    assert WORDS.correction("marthon") == "marathon"
    assert WORDS.correction("plyometrcs") == "plyometrics"
    assert WORDS.correction("plyomtrcs") == "plyometrics"  # two typos in a 9-letter word


def test_a_typo_in_the_first_letter_counts_as_two():
    vocabulary = Vocabulary({"tempo": 3, "insistant": 5, "assistance": 1})
    assert vocabulary.correction("temop") == "tempo"
    assert vocabulary.correction("lempo") is None  # one typo, but in the first letter
    # two edits either way, but "insistant" changes the first letter: three typos, too many
    assert vocabulary.correction("assistant") == "assistance"


def test_what_is_not_corrected():
    assert WORDS.correction("relay") is None  # a catalog word
    assert WORDS.correction("mlie") is None  # under 5 letters: no typo allowed
    assert WORDS.correction("relxyz") is None  # too far from anything
    assert WORDS.correction("marthn0") is None  # not a word


def test_correct_keeps_the_rest_of_the_query():
    assert WORDS.correct('"stirdes" before a -racee relya') == '"strides" before a -race relay'
    assert WORDS.correct("strides before a race") is None


def test_a_word_the_index_holds_in_another_form_is_no_typo():
    """No item says "tuning", but the index holds its stem: it is searched as it is, not
    replaced by its neighbour "turning" nor left out."""
    vocabulary = Vocabulary({"turning": 9, "tune": 2, "out": 30})
    indexed = lambda word: set(analyze(word)) <= {"turn", "tune", "out"}  # noqa: E731
    assert vocabulary.correct("tuning out") == "turning out"  # by words alone
    assert vocabulary.correct("tuning out", indexed) is None
    assert vocabulary.without_unknown("tuning out") == "out"
    assert vocabulary.without_unknown("tuning out", indexed) is None
    assert vocabulary.without_unknown("tuning outz", indexed) == "tuning"


def test_a_hyphenated_word_is_never_half_left_out():
    assert Vocabulary({"based": 2, "cloud": 3}).without_unknown("usage-based cloud") is None


def test_words_file_round_trip(tmp_path):
    counts = count_words(["Relay relay RÉSUMÉ", "4x400 relay 'n stuff"])
    assert counts["relay"] == 3 and counts["resume"] == 1 and "4x400" not in counts
    write_words(counts, tmp_path)
    assert Vocabulary.load(tmp_path).counts == dict(counts)


def test_words_the_catalog_never_uses_are_left_out():
    vocabulary = Vocabulary({"tempo": 3, "race": 5, "mile": 2})
    assert vocabulary.without_unknown("tempo runz") == "tempo"
    assert vocabulary.without_unknown('"tempo" runz -mile') == '"tempo" -mile'
    assert vocabulary.without_unknown("tempo race") is None  # all known
    assert vocabulary.without_unknown("zzz qqq") is None  # nothing would be left


def test_a_phrase_said_now_and_then_survives_the_pruning_of_rare_pairs(monkeypatch):
    from catalog.text import spelling

    monkeypatch.setattr(spelling, "MAX_TRACKED_PHRASES", 50)
    texts = [f"tempo intervals {n}" if n % 3 == 0 else f"unique{n} pair{n} words{n}" for n in range(300)]
    phrases = Counter()
    count_words(texts, phrases)
    assert phrases["tempo intervals"] == 100
    assert len(phrases) <= 50
