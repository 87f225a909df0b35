"""Property-based run of schemathesis against the API's OpenAPI spec: no input may cause a server error, and
every response must match its documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance


@pytest.fixture()
def api_schema(make_toolbox, make_agent, api_settings):  # noqa: ANN001, ANN201
    from shopagent.api.app import create_app

    app = create_app(api_settings, make_toolbox(agent=make_agent()), warm=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _check(case) -> None:  # noqa: ANN001
    response = case.call()
    if "text/event-stream" in response.headers.get("content-type", ""):
        assert response.status_code == 200
        assert "event: final" in response.text or "event: error" in response.text
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                             content_type_conformance])


def test_api_has_no_server_errors(api_schema) -> None:  # noqa: ANN001
    from hypothesis import given

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # noqa: ANN001
            _check(case)

        run()
