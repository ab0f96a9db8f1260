"""The test-clock walk of docs/cli.md: `kado dev --test-clock` with two workers, and a
member's GOLD lapsing exactly at its moment, with no job run, in every worker at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kado.domain.calendar import iso, parse_iso
from kado.local import seed, tokens
from tests.e2e.dev import gql, kado, start_dev

pytestmark = pytest.mark.e2e
ME = "{ me { tier tierProgress { tierUntil } } }"


def test_gold_lapses_at_its_moment_on_the_test_clock_in_every_worker(tmp_path):
    base, process = start_dev(tmp_path, "--test-clock", "--frozen", "--workers", "2")
    try:
        alice = tokens.mint(tokens.signing_key(tmp_path), seed.PROGRAM, seed.MEMBER, "member")

        def tiers() -> set[str]:  # enough requests to reach both workers
            return {gql(base, "/member/graphql", alice, ME).json()["data"]["me"]["tier"]
                    for _ in range(8)}

        me = gql(base, "/member/graphql", alice, ME).json()["data"]["me"]
        assert me["tier"] == "GOLD"
        until = parse_iso(me["tierProgress"]["tierUntil"])
        moved = kado("clock", "set", iso(until - timedelta(seconds=1)), "--frozen",
                     data_dir=tmp_path)
        assert moved.returncode == 0, moved.stderr
        assert tiers() == {"GOLD"}  # a second before its moment
        assert kado("clock", "advance", "1s", data_dir=tmp_path).stdout.strip() == iso(until)
        assert "GOLD" not in tiers()  # at its moment, everywhere, no job run
        shown = kado("clock", "show", data_dir=tmp_path).stdout.strip()
        assert shown == iso(until)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_test_clock_is_refused_outside_dev(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KADO_ENV": "prod", "KADO_TEST_CLOCK": str(tmp_path / "c.json")}
    done = subprocess.run([sys.executable, "-c", "from kado.config import settings; settings()"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "KADO_TEST_CLOCK" in done.stderr
