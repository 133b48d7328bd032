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
        ('[sources.c]\nkind = "articles"\n', "source 'c': missing key 'path'"),
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
