"""The README's architecture map names every package folder of the product, and nothing else,
so a newcomer reading it finds the code where it says."""

from __future__ import annotations

import re

from .conftest import REPO


def architecture_map() -> set[str]:
    """The folders that begin a line of a code block in the README's "Architecture" section."""
    section = REPO.joinpath("README.md").read_text(encoding="utf-8").split("\n## Architecture\n", 1)[1]
    blocks = section.split("\n## ", 1)[0].split("```")[1::2]
    return {match.group(1) for block in blocks for match in re.finditer(r"^(\S+)/\s", block, re.M)}


def package_folders() -> set[str]:
    return {
        str(init.parent.relative_to(REPO))
        for top in ("catalog", "indexer")
        for init in REPO.joinpath(top).rglob("__init__.py")
        if "templates" not in init.parts
    }


def test_every_package_folder_is_on_the_map_and_the_map_names_only_folders():
    listed = architecture_map()
    assert package_folders() <= listed
    assert all(REPO.joinpath(folder).is_dir() for folder in listed), listed
