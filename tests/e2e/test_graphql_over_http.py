"""The GraphQL-over-HTTP specification's audit (the graphql-http package's server audits,
run by Node from web/) against each endpoint of `kado dev`: no error and no warning.
Answers in application/json stay as they were for existing clients."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from kado.local import seed, tokens
from tests.e2e.dev import ROOT, start_dev

pytestmark = pytest.mark.e2e
AUDIT = ROOT / "web" / "scripts" / "graphql-http-audit.mjs"
ROLES = {"member": (seed.MEMBER, "member"), "merchant": (seed.MERCHANT, "merchant"),
         "admin": (seed.ADMIN, "admin")}


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("kado-audit")
    base, process = start_dev(data_dir)
    try:
        yield base, tokens.signing_key(data_dir)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("role", ROLES)
def test_each_endpoint_passes_the_spec_audit_without_a_warning(dev, role):
    base, key = dev
    subject, claim = ROLES[role]
    token = tokens.mint(key, seed.PROGRAM, subject, claim)
    done = subprocess.run(["node", str(AUDIT), f"{base}/{role}/graphql", token],
                          cwd=ROOT / "web", capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) > 40
    assert [r for r in results if r["status"] in ("warn", "error")] == []
    # The only notices are MAYs about GET: queries by GET are off, so no query text (which
    # may hold a voucher code) lands in a URL, and so in an access log.
    assert {r["id"] for r in results if r["status"] == "notice"} <= {"5A70", "D6D5", "6A70"}


def test_application_json_clients_keep_their_answers(dev):
    base, key = dev
    token = tokens.mint(key, seed.PROGRAM, seed.MEMBER, "member")
    headers = {"authorization": f"Bearer {token}"}
    old = httpx.post(f"{base}/member/graphql", json={"query": "{ nope }"}, headers=headers)
    assert (old.status_code, old.headers["content-type"].split(";")[0]) == (
        200, "application/json") and old.json()["data"] is None
    new = httpx.post(f"{base}/member/graphql", json={"query": "{ nope }"},
                     headers={**headers, "accept": "application/graphql-response+json"})
    assert new.status_code == 400 and "data" not in new.json()
    assert new.headers["content-type"].startswith("application/graphql-response+json")
