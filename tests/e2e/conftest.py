"""The e2e tier: each test module gets its own `kado dev --memory`."""

from __future__ import annotations

import signal

import pytest

from tests.e2e.dev import start_dev


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("kado-dev")
    base, process = start_dev(data_dir)
    yield base, data_dir, process
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
