"""`kado dev --events` prints each fact Kado would publish as it happens, read off the dev
table's stream by the outbox's own code: what a partner on EventBridge will receive."""

from __future__ import annotations

import json
import select
import time

import pytest

from kado.local import seed, tokens
from tests.e2e.dev import gql, start_dev

pytestmark = pytest.mark.e2e


def test_a_redemption_is_printed_as_the_fact_it_publishes(tmp_path):
    base, process = start_dev(tmp_path, "--events")
    try:
        admin = tokens.mint(tokens.signing_key(tmp_path), seed.PROGRAM, seed.ADMIN, "admin")
        issued = gql(base, "/admin/graphql", admin, """mutation($i: IssueVouchersInput!) {
            issueVouchers(input: $i) { results { voucher { id } errors { code } } } }""",
                     {"i": {"productId": seed.VOUCHER_PRODUCT, "memberIds": [seed.MEMBER],
                            "idempotencyKey": "events-issue-0001", "reason": "test"}}).json()
        voucher_id = issued["data"]["issueVouchers"]["results"][0]["voucher"]["id"]
        seen: list[dict] = []
        deadline = time.monotonic() + 30
        assert process.stdout is not None
        while time.monotonic() < deadline and not any(
                f["detail"].get("voucherId") == voucher_id for f in seen):
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                line = process.stdout.readline()
                if line.startswith("{"):
                    seen.append(json.loads(line))
        facts = [f for f in seen if f["detail"].get("voucherId") == voucher_id]
        assert facts, seen
        assert facts[0]["source"] == "kado" and facts[0]["detail"]["program"] == seed.PROGRAM
        assert facts[0]["detail-type"].startswith("Voucher")
        # The same facts land in the local lake, where a report's SQL reads them.
        issued_files = []
        while time.monotonic() < deadline and not issued_files:
            issued_files = list((tmp_path / "lake").rglob("*.parquet"))
            time.sleep(0.2)
        assert issued_files, "no fact reached the lake"
    finally:
        process.terminate()
        process.wait(timeout=30)
