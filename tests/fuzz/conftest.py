"""Fuzz tier: generated requests through the handlers, on the integration tier's moto."""

from tests.integration.conftest import database  # noqa: F401 - the same autouse fixture
