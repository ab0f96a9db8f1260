"""Integration tier: services and API on moto (fast, single-threaded semantics only)."""

from __future__ import annotations

import pytest
from moto import mock_aws

from kado.config import reset_settings, settings
from kado.services.kernel import definition_cache
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import pool_reservoir
from kado.store.kernel.client import dynamodb, reset_client
from kado.store.kernel.tables import ensure_table


@pytest.fixture(autouse=True)
def database(monkeypatch):
    # moto's guidance: start the mock before any client is created.
    monkeypatch.delenv("KADO_DYNAMODB_ENDPOINT", raising=False)
    reset_settings()
    # moto's backend is not safe under threads (see DESIGN.md); the parallel
    # issue path is exercised on DynamoDB Local in tests/conformance.
    monkeypatch.setattr(voucher_admin, "ISSUE_WORKERS", 1)
    pool_reservoir.clear()
    with mock_aws():
        reset_client()
        definition_cache.clear()
        ensure_table(dynamodb(), settings().table_name)
        yield "moto"
        reset_client()
