"""Conformance tier: the same scenarios on DynamoDB Local, AWS's own engine.

One DynamoDB Local per test session, started and stopped here; tests keep out
of each other's way with their own program ids, as tenants do.
"""

from __future__ import annotations

import os

import pytest

from kado.local import dynamodb_local
from kado.local.dev import use_endpoint
from kado.services.kernel import definition_cache
from kado.services.vouchers import pool_reservoir
from kado.store.kernel.client import dynamodb
from kado.store.kernel.tables import ensure_table

pytestmark = pytest.mark.conformance


@pytest.fixture(scope="session")
def dynamodb_local_endpoint():
    server = dynamodb_local.start()
    try:
        yield server.endpoint
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def database(dynamodb_local_endpoint):
    use_endpoint(dynamodb_local_endpoint, os.environ["KADO_TABLE"])
    ensure_table(dynamodb(), os.environ["KADO_TABLE"])
    definition_cache.clear()
    pool_reservoir.clear()
    yield "dynamodb-local"
