"""Running vocabulary: every way of writing a relay, a distance or a synonym meets one token."""

import sys
import threading

import pytest

from catalog.text import analysis
from catalog.text.analysis import analyze
from catalog.text.vocabulary import load_synonyms, normalize


def texts(text: str) -> list[str]:
    return [t.text for t in normalize(text)]


@pytest.mark.parametrize(
    "written",
    ["4x400", "4 x 400", "4×400m", "4-by-400", "four by four hundred", "4 by 4", "4 X 400 m", "4x400 meters"],
)
def test_relay_forms_become_one_token(written):
    assert texts(written) == ["4x400"]


@pytest.mark.parametrize("written", ["4x100", "4 x 100m", "four by one hundred", "4 by 1"])
def test_short_relay_forms(written):
    assert texts(written) == ["4x100"]


@pytest.mark.parametrize("said", ["8 x 200", "eight 200s", "8 200's", "8x200m"])
def test_repeats_as_a_coach_says_them(said):
    assert texts(said) == ["8x200"]


@pytest.mark.parametrize("text", ["the 200s were fast", "in the 1980s", "three 5s"])
def test_plurals_that_are_not_repeats_stay_apart(text):
    assert not any("x" in token for token in texts(text))


@pytest.mark.parametrize(
    ("family", "stem"),
    [
        (["run", "runs", "running"], "run"),
        (["metabolize", "metabolizing", "metabolic", "metabolism"], "metabol"),
        (["specialize", "specializing", "special"], "special"),
        (["runner", "runners", "runner's"], "runner"),
        (["interval", "intervals"], "interval"),
        (["evening", "evenings"], "evening"),
    ],
)
def test_word_families_meet_on_one_stem(family, stem):
    """One stemmer (Snowball English) at index time, query time and in highlighting."""
    assert {token for word in family for token in analyze(word)} == {stem}


@pytest.mark.parametrize(
    ("forms", "token"),
    [
        (["5K", "5 k", "5km", "five k", "5,000 m", "5000m", "5 kilometres"], "5000"),
        (["10K", "10 km", "ten k", "10,000m"], "10000"),
        (["1500 m", "1,500m", "fifteen hundred", "1500"], "1500"),
        (["800m", "eight hundred", "800 metres"], "800"),
    ],
)
def test_distance_forms_become_one_token(forms, token):
    for written in forms:
        assert texts(written) == [token], written


def test_spoken_times_and_numbers():
    assert texts("four fifty nine") == ["4:59"]
    assert texts("4:59 mile") == ["4:59", "mile"]
    assert texts("sub-5 mile") == ["sub", "5:00", "mile"]
    assert texts("five minute mile") == ["5:00", "mile"]
    assert texts("a 7 min per mile pace") == ["a", "7:00", "per", "mile", "pace"]
    assert texts("sub 20 5K") == ["sub", "20:00", "5000"]
    assert texts("rest 5 minutes") == ["rest", "5", "minutes"]
    assert texts("two thousand eighteen") == ["2018"]
    assert texts("twenty five") == ["25"]


def test_numbers_are_not_glued_to_their_neighbours():
    # Whoosh's stock analyzer turns "1,500m" into `500m` and "sub-4" into `sub`.
    assert texts("1,500m") == ["1500"]
    assert texts("sub-4") == ["sub", "4:00"]


def test_spans_cover_the_original_words():
    text = "they ran the four by four hundred relay"
    token = normalize(text)[3]
    assert (token.text, text[token.start : token.end]) == ("4x400", "four by four hundred")


@pytest.mark.parametrize(
    ("variants", "canonical"),
    [
        (["PR", "PB", "PBs", "personal best", "personal record", "p r"], "pr"),
        (["plyo", "plyos", "plyometrics", "Plyometric"], "plyo"),
        (["XC", "cross country", "cross-country"], "xc"),
        (["VO2 max", "VO2max", "vo two max"], "vo2max"),
        (["tempo", "threshold"], "tempo"),
    ],
)
def test_synonyms_meet_after_stemming(variants, canonical):
    assert {tuple(analyze(v)) for v in variants} == {(canonical,)}


def test_accents_and_case_fold():
    assert analyze("Pérez") == analyze("perez")


def test_synonym_file_is_data(tmp_path):
    path = tmp_path / "synonyms.toml"
    path.write_text('[synonyms]\nfartlek = ["speed play"]\n')
    assert load_synonyms(path) == {"fartlek": [(("fartlek",), "fartlek")], "speed": [(("speed", "play"), "fartlek")]}


def test_stemming_from_many_threads_gives_each_word_its_own_stem():
    """The web stems in 8 threads per worker; a stemmer shared between them mixed words up."""
    words = [
        f"{stem_of}{ending}"
        for stem_of in ("interval", "runn", "metaboliz", "special", "organiz")
        for ending in ("ing", "es", "ed", "ation", "er")
    ]
    expected = {word: analysis.stem.__wrapped__(word) for word in words}
    wrong: list[tuple[str, str]] = []
    failed: list[BaseException] = []

    def stem_all() -> None:
        try:
            for _ in range(200):
                wrong.extend(
                    (word, got) for word in words if (got := analysis.stem.__wrapped__(word)) != expected[word]
                )
        except Exception as exc:  # noqa: BLE001 - a crash inside the stemmer is the failure looked for
            failed.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        threads = [threading.Thread(target=stem_all) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failed and not wrong[:5]
