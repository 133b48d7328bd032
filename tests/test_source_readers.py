"""One reader contract: every source kind's reader is a `Reader`, and the run reads it as one."""

from __future__ import annotations

import inspect

import pytest

from indexer.sources import KINDS, reader
from indexer.sources.base import Reader


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_reader_with_read_source_context(kind):
    found = reader(kind)
    assert isinstance(found, Reader)
    assert list(inspect.signature(found.read).parameters) == ["source", "context"]
