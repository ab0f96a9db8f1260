"""A voucher's whole life over HTTP on `kado dev`: won, read, checked, redeemed once."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.dev import gql, kado
from tests.support import campaign_input

pytestmark = pytest.mark.e2e
UPSERT = """mutation($i: CampaignInput!) { upsertCampaign(input: $i) { errors { code } } }"""
LAUNCH = """mutation { launchCampaign(id: "e2e-voucher-wheel") { campaign { status } } }"""
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won voucherId prize { kind } }
  errors { code } } }"""
MINE = "{ myVouchers { nodes { id code qrPayload status balance product { name } } } }"
CHECK = """query($c: String!) { checkVoucher(code: $c) { redeemable voucher { id balance }
  errors { code } } }"""
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id amount remainingBalance } errors { code } } }"""


def token(data_dir, *who):
    return kado("token", "--program", "demo", *who, data_dir=data_dir).stdout.strip()


def test_the_banner_prints_working_page_links_once_the_server_answers(server):
    base, _, process = server
    links, exported = {}, None
    for line in process.stdout:  # the banner prints only once every worker answers
        for page in ("till", "console"):
            if f"{base}/{page}#token=" in line:
                links[page] = line.strip().split(f"{base}/{page}#token=")[1]
        if "export KADO=" in line:
            exported = line.strip().split("export KADO=")[1]
            break
    assert exported == base  # what the README's first hour starts with
    me = gql(base, "/merchant/graphql", links["till"], "{ me { id program } }")
    assert me.json()["data"]["me"] == {"id": "corner-cafe", "program": "demo"}
    assert gql(base, "/admin/graphql", links["console"],
               "{ campaigns { nodes { id } } }").status_code == 200
    for page in ("till", "console"):
        assert httpx.get(f"{base}/{page}").status_code == 200


def test_win_read_check_redeem_then_already_redeemed(server):
    base, data_dir, _ = server
    admin, member = token(data_dir, "--admin"), token(data_dir, "--member", "e2e-vouchers")
    cafe = token(data_dir, "--merchant", "corner-cafe")
    wheel = campaign_input("e2e-voucher-wheel", [
        {"id": "coffee", "name": "Coffee", "kind": "VOUCHER", "weight": 1, "stock": 10,
         "productId": "coffee-5"}])
    assert gql(base, "/admin/graphql", admin, UPSERT, {"i": wheel}).json()["data"][
        "upsertCampaign"]["errors"] == []
    gql(base, "/admin/graphql", admin, LAUNCH)
    spin = gql(base, "/member/graphql", member, SPIN, {
        "i": {"campaignId": "e2e-voucher-wheel", "idempotencyKey": "e2e-voucher-spin-1"}}
    ).json()["data"]["spin"]
    assert spin["errors"] == [] and spin["spin"]["won"] and spin["spin"]["voucherId"]
    vouchers = gql(base, "/member/graphql", member, MINE).json()["data"]["myVouchers"]["nodes"]
    assert [v["id"] for v in vouchers] == [spin["spin"]["voucherId"]]
    code = vouchers[0]["code"]
    assert len(code) == 21 and vouchers[0]["balance"] == 500
    checked = gql(base, "/merchant/graphql", cafe, CHECK, {"c": code}).json()["data"]
    assert checked["checkVoucher"]["redeemable"] is True
    first = gql(base, "/merchant/graphql", cafe, REDEEM, {
        "i": {"code": vouchers[0]["qrPayload"], "idempotencyKey": "till-e2e-0001"}}).json()
    assert first["data"]["redeemVoucher"]["errors"] == []
    assert first["data"]["redeemVoucher"]["redemption"]["remainingBalance"] == 0
    second = gql(base, "/merchant/graphql", cafe, REDEEM, {
        "i": {"code": code, "idempotencyKey": "till-e2e-0002"}}).json()
    assert second["data"]["redeemVoucher"]["errors"] == [{"code": "ALREADY_REDEEMED"}]
    # The member API has no way to another member's code, and the merchant API none to codes.
    other = token(data_dir, "--member", "someone-else")
    assert gql(base, "/member/graphql", other, MINE).json()["data"]["myVouchers"]["nodes"] == []
    leak = gql(base, "/merchant/graphql", cafe, '{ redemptions { nodes { voucher { code } } } }')
    assert leak.json()["errors"]


POOL_PRODUCT = """mutation { upsertVoucherProduct(input: {id: "partner-pool", name: "Partner",
  kind: ITEM, value: 1, validForDays: 10, codeSource: POOL, lowStockThreshold: 3000}) {
  errors { code } } }"""
POOL_LEFT = '{ voucherProduct(id: "partner-pool") { pool { left lowStock } } }'
MEMBER = """mutation($i: MemberInput!) { upsertMember(input: $i) { errors { code } } }"""


def cli(data_dir, base, *args):
    return kado("vouchers", *args, "--endpoint", base, data_dir=data_dir)


def test_bulk_import_and_issue_from_files_resume_safely(server, tmp_path):
    base, data_dir, _ = server
    admin = token(data_dir, "--admin")
    assert gql(base, "/admin/graphql", admin, POOL_PRODUCT).json()["data"][
        "upsertVoucherProduct"]["errors"] == []
    codes_file = tmp_path / "codes.csv"
    partner = [f"PARTNER-{i:06d}" for i in range(2300)]
    # A note column before the codes: the header names the code column, so it is found.
    rows = ["note,code", *(f"n{i},{c}" for i, c in enumerate(partner[:10])),
            "typo,partner 000007", *(f",{c}" for c in partner[10:]), "bad,no!"]
    codes_file.write_text("\n".join(rows) + "\n")
    first = cli(data_dir, base, "import", str(codes_file), "--product", "partner-pool")
    assert first.returncode == 1, first.stderr
    assert "imported 2300, already on file 0, refused 2" in first.stdout
    assert f"{codes_file}:12: 'partner 000007'" in first.stderr
    assert f"{codes_file}:2303: 'no!'" in first.stderr
    again = cli(data_dir, base, "import", str(codes_file), "--product", "partner-pool")
    assert "imported 0, already on file 2300, refused 2" in again.stdout
    pool = gql(base, "/admin/graphql", admin, POOL_LEFT).json()["data"]["voucherProduct"]
    assert pool["pool"] == {"left": 2300, "lowStock": True}

    members_file = tmp_path / "members.txt"
    members_file.write_text("\n".join(f"bulk-{i}" for i in range(130)) + "\nghost\nbulk-7\n")
    for i in range(130):
        gql(base, "/admin/graphql", admin, MEMBER, {"i": {"id": f"bulk-{i}"}})
    issued = cli(data_dir, base, "issue", "--members", str(members_file), "--product",
                 "partner-pool")
    assert "issued 130, already issued 0, refused 2" in issued.stdout
    assert f"{members_file}:131: ghost: NOT_FOUND" in issued.stderr
    assert f"{members_file}:132: bulk-7: listed twice (first on line 8)" in issued.stderr
    rerun = cli(data_dir, base, "issue", "--members", str(members_file), "--product",
                "partner-pool")
    assert "issued 0, already issued 130, refused 2" in rerun.stdout
    pool = gql(base, "/admin/graphql", admin, POOL_LEFT).json()["data"]["voucherProduct"]
    assert pool["pool"]["left"] == 2300 - 130  # the re-run issued nothing new
