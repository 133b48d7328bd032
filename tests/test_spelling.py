"""Typo tolerance against real catalog words: 1 typo from 5 letters, 2 from 9."""

from collections import Counter

from catalog.text.analysis import analyze
from catalog.text.spelling import Vocabulary, count_words, family_form, typo_budget, write_words
from tests.helpers import index_workouts, live_search

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


def test_a_word_snowball_stems_apart_from_its_family_is_searched_as_the_form_items_say():
    """Snowball stems "panicking" to `panick` and "argument" to itself, apart from "panic" and
    "arguing" (`argu`): where the index holds only the other form, the query takes the word
    items say for it (not another word that merely begins the same: "arguably")."""
    assert analyze("panicking panic argument arguing") == ["panick", "panic", "argument", "argu"]
    vocabulary = Vocabulary({"picking": 9, "panic": 2, "arguing": 3, "argued": 1, "arguably": 50, "augment": 4})
    held = {"pick", "panic", "argu", "arguabl", "augment"}
    indexed = lambda word: set(analyze(word)) <= held  # noqa: E731
    assert vocabulary.correct("panicking", indexed) == "panic"  # not "picking", two typos away
    assert vocabulary.correct("PANICKED", indexed) == "panic"
    assert vocabulary.correct("argument", indexed) == "arguing"  # not left out, not "augment"
    assert vocabulary.correct("arguments", indexed) == "arguing"
    assert vocabulary.correct("panicking") == "picking"  # no index: the words alone decide
    held = {"panick"}  # the other way round: items say only "panicked"
    assert Vocabulary({"panicked": 1}).correct("panic", lambda word: set(analyze(word)) <= held) == "panicked"


def test_only_the_forms_snowball_keeps_apart_are_family():
    assert family_form("panicking") == family_form("panicked") == "panic"
    assert family_form("mimic") == "mimicking"
    assert family_form("judgments") == "judg"
    # Snowball's own business, or roots that are other words: never shortened
    for word in ("hoping", "evening", "thinking", "checked", "picking", "chic", "moment", "comment", "basement"):
        assert family_form(word) is None, word
    supple = Vocabulary({"supple": 3})
    assert supple.correct("supplement", lambda word: set(analyze(word)) <= {"suppl"}) is None


def test_a_search_for_panicking_finds_the_workout_that_says_panic(fresh_data, tmp_path):
    workouts = {
        "breathing.md": "---\nname: Box breathing\n---\nBreathe in for four when you panic.\n",
        "goals.md": "---\nname: Goal races\n---\nPicking a goal race for the spring.\n",
    }
    assert index_workouts(fresh_data, tmp_path / "config", workouts).exit_code == 0
    doc = live_search(fresh_data, "breathe when panicking")
    assert doc["suggestion"] == "breathe when panic"
    assert [result["id"] for result in doc["results"]] == ["workout:breathing"]


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
