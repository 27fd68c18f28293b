"""Property-based tests of the API from its own OpenAPI schema (schemathesis): whatever the
generated input, no endpoint answers with a server error."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from conftest import serving
from jjnlp.api.app import Settings, create_app
from jjnlp.store import open_store
from jjnlp.store.access import create_key


def _openapi() -> dict[str, Any]:
    """The schema as the app publishes it (an app over an empty store, made at import: the
    generated tests are collected from it; they run against the live server below)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"{folder}/schema.db")
        try:
            return create_app(Settings(), store).openapi()
        finally:
            store.close()


schema = schemathesis.openapi.from_dict(_openapi())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    stored_rows: list[dict[str, Any]],
) -> Any:
    folder = tmp_path_factory.mktemp("schema")
    with serving(request, folder, stored_rows, request.param, max_upload_mb=1, timeout=30) as (
        server,
        store,
    ):
        yield server.url, create_key(store, "admin", "schemathesis")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_server_error(case: Any, live: tuple[str, str]) -> None:
    url, key = live
    response = case.call(base_url=url, headers={"X-API-Key": key}, timeout=60)
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json")
