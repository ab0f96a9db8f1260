"""`kado load`: real HTTP traffic against `kado dev`, then the invariants read back.

It sets up its own program (a fresh tenant id, so runs never mix), fires spins
from many members at once, redeems some of the won vouchers from two tills at
the same time (each code twice, plus a retry), and checks through the API:
wins <= stock, one voucher per voucher win, each code redeemed at most once,
and no 5xx. Tokens are dev tokens signed with the local key.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from kado.local import tokens
from kado.local.bench.measure import percentile

SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won outcome voucherId
  prize { id } } errors { code } } }"""
MINE = "{ myVouchers(first: 100) { nodes { id code } } }"
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) { redemption { id }
  errors { code } } }"""
STATS = """query($id: ID!) { campaign(id: $id) { stats { spins wins outOfStock
  prizes { prizeId awarded stockLeft } } } }"""
REDEMPTIONS = """query($after: String) { redemptions(first: 100, after: $after) {
  nodes { id voucher { id } } pageInfo { hasNextPage endCursor } } }"""
TILLS = ("till-a", "till-b")


@dataclass
class Traffic:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    def summary(self, seconds: float) -> dict[str, Any]:
        sample = self.latencies or [0.0]

        def pct(share: float) -> float:
            return round(percentile(sample, share) * 1000, 2)

        return {"requests": len(self.latencies), "seconds": round(seconds, 2),
                "per_second": round(len(self.latencies) / seconds, 1) if seconds else None,
                "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
                "statuses": dict(self.statuses)}


class Client:
    def __init__(self, base: str, key: str, program: str, concurrency: int) -> None:
        self.base, self.key, self.program = base.rstrip("/"), key, program
        limits = httpx.Limits(max_connections=concurrency * 2)
        self.http = httpx.Client(timeout=60, limits=limits)
        self._tokens: dict[tuple[str, str], str] = {}

    def token(self, role: str, subject: str) -> str:
        # Minted once per caller: signing on every request would load the client's CPU,
        # which shares the machine with the server being measured.
        key = (role, subject)
        if key not in self._tokens:
            self._tokens[key] = tokens.mint(self.key, self.program, subject, role)
        return self._tokens[key]

    def call(self, role: str, subject: str, query: str, variables: dict[str, Any] | None = None,
             traffic: Traffic | None = None) -> tuple[int, dict[str, Any]]:
        start = time.perf_counter()
        response = self.http.post(f"{self.base}/{role}/graphql",
                                  json={"query": query, "variables": variables},
                                  headers={"Authorization": f"Bearer {self.token(role, subject)}"})
        if traffic is not None:
            traffic.record(response.status_code, time.perf_counter() - start)
        body = response.json() if response.status_code < 500 else {}
        return response.status_code, body

    def admin(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        status, body = self.call("admin", "kado-load", query, variables)
        if status != 200 or body.get("errors"):
            raise RuntimeError(f"admin call failed ({status}): {body}")
        data: dict[str, Any] = body["data"]
        return data


def _setup(client: Client, stock: int) -> None:
    now = datetime.now(UTC)
    for till in TILLS:
        client.admin("mutation($i: MerchantInput!) { upsertMerchant(input: $i) { errors "
                     "{ code } } }", {"i": {"id": till, "name": till}})
    client.admin("""mutation { upsertVoucherProduct(input: {id: "load-voucher", name: "Load",
      kind: AMOUNT, value: 1000, currency: "EUR", validForDays: 30}) { errors { code } } }""")
    campaign = {"id": "load-wheel", "name": "Load wheel", "timezone": "UTC",
                "startsAt": (now - timedelta(minutes=1)).isoformat(),
                "endsAt": (now + timedelta(days=1)).isoformat(),
                "prizes": [{"id": "item", "name": "Item", "kind": "ITEM", "weight": 20,
                            "stock": stock},
                           {"id": "voucher", "name": "Voucher", "kind": "VOUCHER", "weight": 30,
                            "stock": stock, "productId": "load-voucher"},
                           {"id": "none", "name": "No luck", "kind": "NONE", "weight": 50}]}
    client.admin("mutation($i: CampaignInput!) { upsertCampaign(input: $i) { errors "
                 "{ code } } }", {"i": campaign})
    client.admin('mutation { launchCampaign(id: "load-wheel") { errors { code } } }')


def _parallel(concurrency: int, jobs: list[Any], action: Callable[[Any], Any]) -> tuple[
        list[Any], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(action, jobs))
    return results, time.perf_counter() - start


def run(base: str, data_dir: Path, spins: int, concurrency: int, redeem: int) -> dict[str, Any]:
    program = "load" + secrets.token_hex(4)
    client = Client(base, tokens.signing_key(data_dir), program, concurrency)
    stock = max(1, spins // 10)
    _setup(client, stock)
    spin_traffic = Traffic()

    def spin(i: int) -> dict[str, Any]:
        _, body = client.call("member", f"m{i}", SPIN, {"i": {
            "campaignId": "load-wheel", "idempotencyKey": f"load-spin-{i:07d}"}}, spin_traffic)
        return {"member": f"m{i}", **((body.get("data") or {}).get("spin") or {})}

    spun, spin_seconds = _parallel(concurrency, list(range(spins)), spin)
    voucher_wins = {s["member"]: s["spin"]["voucherId"] for s in spun
                    if s.get("spin") and s["spin"]["voucherId"]}
    held = {m: client.call("member", m, MINE)[1]["data"]["myVouchers"]["nodes"]
            for m in voucher_wins}
    codes = [v["code"] for nodes in held.values() for v in nodes][:redeem]
    redeem_traffic = Traffic()

    def attempt(job: tuple[str, str, str]) -> str | None:
        code, till, key = job
        _, body = client.call("merchant", till, REDEEM, {"i": {"code": code,
                                                               "idempotencyKey": key}},
                              redeem_traffic)
        payload = (body.get("data") or {}).get("redeemVoucher") or {}
        return (payload.get("redemption") or {}).get("id")

    jobs = [(code, till, f"load-{till}-{n}") for n, code in enumerate(codes) for till in TILLS]
    jobs += [(code, TILLS[0], f"load-{TILLS[0]}-{n}") for n, code in enumerate(codes)]  # retries
    redeemed, redeem_seconds = _parallel(concurrency, jobs, attempt)
    stats = client.admin(STATS, {"id": "load-wheel"})["campaign"]["stats"]
    per_voucher = _redeemed_vouchers(client)
    invariants = {
        "wins_within_stock": all(p["awarded"] <= stock and p["awarded"] + (p["stockLeft"] or 0)
                                 == stock for p in stats["prizes"] if p["prizeId"] != "none"),
        "vouchers_issued_equal_voucher_wins": sorted(v["id"] for n in held.values() for v in n)
        == sorted(voucher_wins.values()),
        "each_code_redeemed_at_most_once": all(n <= 1 for n in per_voucher.values())
        and len(per_voucher) == len(codes),
        "no_5xx": not any(s >= 500 for t in (spin_traffic, redeem_traffic)
                          for s in t.statuses),
    }
    return {"program": program, "spins": spin_traffic.summary(spin_seconds),
            "redemptions": {**redeem_traffic.summary(redeem_seconds), "codes": len(codes),
                            "attempts": len(jobs),
                            "distinct_successes": len({r for r in redeemed if r})},
            "campaign": {"stock_per_prize": stock, **stats},
            "invariants": invariants, "ok": all(invariants.values())}


def _redeemed_vouchers(client: Client) -> Counter[str]:
    """Redemptions per voucher across both tills, read back through the merchant API."""
    counts: Counter[str] = Counter()
    for till in TILLS:
        after = None
        while True:
            _, body = client.call("merchant", till, REDEMPTIONS, {"after": after})
            page = body["data"]["redemptions"]
            counts.update(node["voucher"]["id"] for node in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    return counts

