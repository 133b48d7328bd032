"""A generation keeps recently searched words' frequencies: bounded, least recently used out
first, and never a different answer from reading the postings afresh."""

from catalog.engine.whoosh import index as whoosh_index
from catalog.engine.whoosh.kept import KeptFrequencies, read_frequencies
from catalog.generations.live import LiveIndex
from catalog.search.document import as_searched
from catalog.text.analysis import analyze

RELAY, TEMPO, PLYO = (analyze(word)[0] for word in ("relay", "tempo", "plyometrics"))
QUERIES = [
    "relay",
    "4x400 relay",
    "strides before a race",
    '"tempo run"',
    "marathon -half",
    "stri",
    "easy r",
    "ma",
    "zzzz",
]


def test_a_word_is_read_once_then_kept(sample_data):
    reader = LiveIndex(sample_data).current().index.searcher.reader()
    kept = KeptFrequencies()
    first = kept.get(reader, "transcript", RELAY)
    assert first and first == read_frequencies(reader, "transcript", RELAY)
    assert kept.get(reader, "transcript", RELAY) is first
    assert kept.get(reader, "transcript", "nosuchword") == {}


def test_the_least_recently_used_words_give_way_within_the_bound(sample_data):
    reader = LiveIndex(sample_data).current().index.searcher.reader()
    sizes = {word: len(read_frequencies(reader, "transcript", word)) + 1 for word in (RELAY, TEMPO, PLYO)}
    kept = KeptFrequencies(max_postings=sizes[RELAY] + sizes[TEMPO])
    assert sizes[PLYO] < kept.max_postings  # small enough to be kept
    relay = kept.get(reader, "transcript", RELAY)
    tempo = kept.get(reader, "transcript", TEMPO)
    assert kept.get(reader, "transcript", RELAY) is relay  # used again: now the most recent
    kept.get(reader, "transcript", PLYO)  # pushes the least recent (TEMPO) out
    assert kept.size <= kept.max_postings
    assert kept.get(reader, "transcript", RELAY) is relay
    assert kept.get(reader, "transcript", TEMPO) is not tempo  # read again


def test_a_word_bigger_than_the_bound_is_read_but_not_kept(sample_data):
    reader = LiveIndex(sample_data).current().index.searcher.reader()
    kept = KeptFrequencies(max_postings=1)
    found = kept.get(reader, "transcript", RELAY)
    assert found == read_frequencies(reader, "transcript", RELAY) and kept.size == 0


def test_the_bound_is_exact(sample_data):
    reader = LiveIndex(sample_data).current().index.searcher.reader()
    size = len(read_frequencies(reader, "transcript", RELAY))
    fits, too_small = KeptFrequencies(max_postings=size + 1), KeptFrequencies(max_postings=size)
    fits.get(reader, "transcript", RELAY)
    too_small.get(reader, "transcript", RELAY)
    assert (fits.size, too_small.size) == (size + 1, 0)


def test_searches_on_a_warm_generation_answer_as_reading_afresh(sample_data):
    generation = LiveIndex(sample_data).current()
    index = generation.index
    asked = [as_searched(query, generation.vocabulary, index)[0] for query in QUERIES]
    assert any(len(parsed.prefix) > 1 for parsed in asked)  # a typed prefix's completions are summed

    def search(parsed, kept: KeptFrequencies):
        return whoosh_index.search(
            index.searcher, parsed, {}, 1, 10, False, 5.0, index.facet_table, index.item_stats, kept
        )

    warm, nothing_kept = KeptFrequencies(), KeptFrequencies(max_postings=0)
    for parsed in asked * 2:
        search(parsed, warm)
    for parsed in asked:
        assert search(parsed, warm) == search(parsed, nothing_kept), parsed.text
    assert warm.size > 0 and nothing_kept.size == 0
