"""Schemathesis fuzzes every operation of /api/openapi.json: no request may get a 5xx,
and every answer must match the description."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app import create_app
from tests.conftest import SAMPLE

# Slow: schemathesis over every operation. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow


def _app():
    # Built at collection time, before fixtures exist, so it indexes the sample itself, in a
    # folder removed when the test run ends.
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from indexer.config import load_config
    from indexer.run import reindex

    data = Path(tempfile.mkdtemp(prefix="fuzz-data-"))
    atexit.register(shutil.rmtree, data, ignore_errors=True)
    reindex(load_config(SAMPLE / "sources.toml"), data)
    return create_app({"DATA_DIR": str(data), "RATELIMIT_ENABLED": False})


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_off_contract(case):
    case.call_and_validate()
