"""Schemathesis against /openapi.json of the running server: no generated input gets a 5xx.

Bounded for CI: at most 30 examples for each of the API's operations (about 300 in all),
with a fixed seed, so a failure reproduces.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.generation.case import Case


@schemathesis.serializer("application/sparql-query")
def _sparql_query(ctx: object, value: object) -> bytes:
    return str(value).encode("utf-8")


def test_no_input_gets_a_server_error(base_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    calls = 0
    for operation in operations:

        @seed(20261126)
        @settings(
            max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy())
        def check(case: Case) -> None:
            nonlocal calls
            calls += 1
            response = case.call(timeout=30)
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, (
                f"{where}: {response.status_code} {response.text[:300]}"
            )
            if response.status_code >= 400:
                assert response.headers["content-type"] == ["application/problem+json"], where

        check()
    assert calls >= 100
