"""sources.toml: every mistake names its source and key."""

import pytest

from indexer.config import ConfigError, load_config


def write(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_sample_config_loads_with_paths_resolved_against_its_folder(tmp_path):
    (tmp_path / "media").mkdir()
    config = load_config(write(tmp_path, '[sources.interviews]\nkind = "ytdlp-folder"\npath = "media"\n'))
    (source,) = config.sources
    assert (source.name, source.kind, source.path()) == ("interviews", "ytdlp-folder", tmp_path / "media")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sources.a]\nkind = "ytdlp-folder"\npath = "x"\ncolour = "red"\n', "source 'a': unknown key 'colour'"),
        ('[sources.b]\nkind = "telepathy"\n', "source 'b': kind 'telepathy' is not one of"),
        ('[sources.c]\nkind = "articles"\n', "source 'c': missing key: one of 'feed', 'sitemap', 'path' is needed"),
        ("[sources]\n", "no [sources.NAME] tables"),
        ("[sources.d\n", "not valid TOML"),
        ('[sources.e]\nkind = "workouts"\npath = "w"\n[settings]\nspeed = 1\n', "unknown key 'speed'"),
        ('[sources.e]\nkind = "workouts"\npath = "w"\n[settings]\ngolden = [{query = "x"}]\n', "golden query 1"),
    ],
)
def test_config_errors_are_specific(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_config(write(tmp_path, text))


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


# --- every option is typed: a wrong value names the source, the key and what was expected


FOLDER = 'kind = "ytdlp-folder"\npath = "v"'
CHANNEL = 'kind = "youtube"\nurl = "https://y.example/@c"'
FEED = 'kind = "podcast"\nurl = "https://p.example/f.xml"'
WRONG_VALUES = [  # (a source's valid keys, one more key, what the error says)
    (
        FOLDER,
        'languages = "en"',
        '\'languages\' must be a non-empty list of language codes such as ["en", "de"], not "en"',
    ),
    (FOLDER, "languages = []", "'languages' must be a non-empty list"),
    (FOLDER, 'languages = ["english!"]', "'languages' must be a non-empty list"),
    (CHANNEL, 'languages = "en"', "'languages' must be a non-empty list"),
    (CHANNEL, "sleep_videos = -1", "'sleep_videos' must be a number of seconds, 0 or more, not -1"),
    (CHANNEL, "sleep = 1", "unknown key 'sleep'"),
    (CHANNEL, 'urls = ["https://y.example/@d"]', "takes exactly one of 'url', 'urls', not 'url' and 'urls'"),
    ('kind = "video"', 'urls = "https://y.example/v"', "'urls' must be a non-empty list of URLs"),
    (FEED, "timeout = 0", "'timeout' must be a number of seconds above 0, not 0"),
    (FEED, "retries = 1.5", "'retries' must be a whole number, 0 or more, not 1.5"),
    (FEED, "max_new = -3", "'max_new' must be a whole number of items, 0 or more, not -3"),
    (FEED, "max_bytes = true", "'max_bytes' must be a whole number of bytes above 0, not true"),
    (FEED, 'languages = "en"', "'languages' must be a list of language codes"),
    (FEED, 'allow_private_network = ["10.0.0.0/99"]', "'allow_private_network' must be true, false or a list of"),
    ('kind = "podcast"', 'url = "ftp://p.example/f.xml"', "'url' must be an http(s) URL"),
    ('kind = "articles"\npath = "a"', "sleep = -0.5", "'sleep' must be a number of seconds, 0 or more, not -0.5"),
    ('kind = "articles"', 'sitemap = "file:///etc/passwd"', "'sitemap' must be an http(s) URL"),
    ('kind = "articles"', 'path = ""', "'path' must be a non-empty string"),
    ('kind = "articles"\nfeed = "https://a.example/f"', 'sitemap = "https://a.example/s"', "not 'feed' and 'sitemap'"),
    (
        'kind = "workouts"\npath = "w"',
        "gone_after = 0",
        "'gone_after' must be a whole number of runs, 1 or more, not 0",
    ),
    ('kind = "workouts"', "path = 3", "'path' must be a non-empty string"),
    (
        'kind = "workouts"\npath = "w"',
        "timeout = 5",
        "unknown key 'timeout' (a workouts source takes gone_after, path, title)",
    ),
]


@pytest.mark.parametrize(("kind_and_keys", "bad", "message"), WRONG_VALUES)
def test_a_wrong_value_names_source_key_and_expectation(tmp_path, kind_and_keys, bad, message):
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, f"[sources.mine]\n{kind_and_keys}\n{bad}\n"))
    assert str(raised.value).startswith("source 'mine': ")
    assert message in str(raised.value)


def test_defaults_are_filled_in_once_for_every_reader(tmp_path):
    text = (
        '[sources.v]\nkind = "ytdlp-folder"\npath = "v"\n[sources.p]\nkind = "podcast"\nurl = "https://p.example/f"\n'
    )
    folder, podcast = load_config(write(tmp_path, text)).sources
    assert folder.options == {"path": "v", "languages": ["en"], "gone_after": 3}
    assert (podcast.options["languages"], podcast.options["sleep"], podcast.options["gone_after"]) == ([], 0.5, 3)
    assert "timeout" not in podcast.options  # the fetch policy's own default applies


def test_a_source_made_in_code_is_checked_too():
    from indexer.config import SourceConfig

    with pytest.raises(ConfigError, match="source 'x': 'languages' must be"):
        SourceConfig("x", "ytdlp-folder", {"path": "v", "languages": "en"})


def test_every_kind_has_a_declared_option_schema():
    from indexer.options import KIND_OPTIONS
    from indexer.sources import KINDS

    assert set(KIND_OPTIONS) == set(KINDS)


def test_config_loads_without_importing_any_reader(tmp_path):
    """A reader's libraries may be missing; the config is still read and checked."""
    import subprocess
    import sys

    path = write(
        tmp_path,
        '[sources.a]\nkind = "articles"\nfeed = "https://a.example/f"\n[sources.y]\nkind = "youtube"\nurl = "https://y.example/@c"\n',
    )
    code = (
        "import sys; from indexer.config import load_config; load_config(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.startswith(('indexer.sources.', 'yt_dlp', 'trafilatura', 'feedparser'))))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- [settings] is checked by the same schema (indexer.options.SETTINGS), through the CLI as cron runs it

WORKOUTS = '[sources.w]\nkind = "workouts"\npath = "w"\n'


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("min_doc_share = true", "[settings]: 'min_doc_share' must be a number from 0 to 1, not true"),
        ("min_doc_share = 1.5", "[settings]: 'min_doc_share' must be a number from 0 to 1, not 1.5"),
        (
            'golden = [{ query = "relay", expect = "youtube:x", within = true }]',
            "[settings]: golden query 1: 'within' must be a whole number of results, 1 or more, not true",
        ),
        ('golden = [{ query = "relay" }]', "[settings]: golden query 1: missing key 'expect'"),
        ('golden = [{ query = "relay", expect = "x", top = 3 }]', "golden query 1: unknown key 'top'"),
        ('golden = ["relay"]', "[settings]: 'golden' must be a list of tables such as"),
    ],
)
def test_a_wrong_setting_stops_the_run_before_anything_is_fetched(runner, tmp_path, settings, message):
    from indexer.cli import cli

    config = write(tmp_path, f"{WORKOUTS}[settings]\n{settings}\n")
    result = runner.invoke(cli, ["--data", str(tmp_path / "data"), "reindex", "--config", str(config)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "data" / "catalog.db").exists()


def test_settings_defaults_come_from_the_schema(tmp_path):
    from indexer.options import GOLDEN_QUERY, SETTINGS

    bare = load_config(write(tmp_path, WORKOUTS))
    assert (bare.min_doc_share, bare.golden) == (SETTINGS["min_doc_share"].default, ())
    one = load_config(
        write(tmp_path, f'{WORKOUTS}[settings]\ngolden = [{{ query = "relay", expect = "youtube:x" }}]\n')
    )
    assert [(g.query, g.expect, g.within) for g in one.golden] == [
        ("relay", "youtube:x", GOLDEN_QUERY["within"].default)
    ]
