"""Cold start of what AWS runs: the built bundle in a fresh CPython 3.12, against a bare handler.

Each sample is a new Lambda instance (kado.local.bundle.Instance): only the bundle and
boto3 on the path, LAMBDA_TASK_ROOT set (so Powertools loads X-Ray, as in Lambda), no
bytecode written. Its cold start is the handler's import plus its first request.

The baseline is what a user would write instead: a handler module that imports boto3,
creates the DynamoDB client and, on its first request, sends the very TransactWriteItems
our first spin sends. It runs in the same runner, so both sides are timed alike, and the
samples alternate (ours, bare, ours, bare) so drift on a shared machine cancels.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kado.local import bundle
from kado.local.apigw import LambdaContext, graphql_event
from kado.local.bench.operations import MEMBER_PATH, PROGRAM, SPIN
from kado.local.meter import Meter
from kado.store.kernel.client import dynamodb

BARE_HANDLER = '''
import boto3

client = boto3.client("dynamodb")


def handler(event, context):
    return client.transact_write_items(**event)["ResponseMetadata"]["HTTPStatusCode"]
'''
FIRST_REQUESTS = {
    "merchant_api": ("/merchant/graphql", "{ me { id } }",
                     {"sub": "till-1", "program": PROGRAM, "role": "merchant"}),
    "admin_api": ("/admin/graphql", "{ campaigns(first: 1) { nodes { id } } }",
                  {"sub": "bench-admin", "program": PROGRAM, "role": "admin"}),
}
CAMPAIGN = "losses"


def _spin_event(n: int) -> dict[str, Any]:
    return graphql_event(MEMBER_PATH, SPIN, {"sub": f"cold-{n}", "program": PROGRAM},
                         {"i": {"campaignId": CAMPAIGN, "idempotencyKey": f"cold-spin-{n:06d}"}})


def _bare_template(handler: Any) -> str:
    """The TransactWriteItems a first spin sends, recorded through our own handler, with
    its member and idempotency key left as blanks to fill."""
    with Meter(dynamodb()) as meter:
        handler(_spin_event(-1), LambdaContext())
        [call] = [c for c in meter.reset() if c.operation == "TransactWriteItems"]
    params = dict(call.params)
    params.pop("ReturnConsumedCapacity", None)
    return json.dumps(params).replace("cold-spin--00001", "@KEY@").replace("cold--1", "@MEMBER@")


def _bare_request(template: str, n: int) -> dict[str, Any]:
    """That same transaction for a new member and key, so it writes as a first spin does."""
    filled: dict[str, Any] = json.loads(template.replace("@KEY@", f"bare-spin-{n:06d}")
                                        .replace("@MEMBER@", f"bare-{n}"))
    return filled


def _sample(directory: Path, handler: str, env: dict[str, str],
            event: dict[str, Any], runtime: Path | None = None) -> dict[str, float]:
    instance = bundle.Instance(directory, handler, env, runtime)
    try:
        first = instance.invoke(event)
    finally:
        instance.close()
    answer = first["response"]  # the bare handler answers its HTTP status
    if answer != 200 and (answer.get("statusCode") != 200 or '"errors":[{' in answer["body"]):
        raise bundle.BundleError(f"a cold-start request failed: {answer}")
    started = instance.started
    return {"import_ms": started["import_ms"], "first_request_ms": first["ms"],
            "total_ms": started["import_ms"] + first["ms"],
            "bytecode_used": float(started.get("pyc_in_bundle", False))}


def _medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(s[k] for s in samples), 1) for k in samples[0]}


def measure(runs: int, endpoint: str, table: str, member_handler: Any) -> dict[str, Any]:
    env = {"KADO_ENV": "prod", "KADO_TABLE": table, "KADO_DYNAMODB_ENDPOINT": endpoint,
           "AWS_ENDPOINT_URL_DYNAMODB": endpoint, "AWS_ACCESS_KEY_ID": "kadolocal",
           "AWS_SECRET_ACCESS_KEY": "kadolocal", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_REGION": "us-east-1", "POWERTOOLS_SERVICE_NAME": "kado-bench"}
    with tempfile.TemporaryDirectory(prefix="kado-cold-") as scratch:
        root = Path(scratch)
        builds = {"member_api": ("MemberApiFunction", True),
                  "member_api_without_bytecode": ("MemberApiFunction", False),
                  "merchant_api": ("MerchantApiFunction", True),
                  "admin_api": ("AdminApiFunction", True)}
        with ThreadPoolExecutor(len(builds)) as pool:
            dirs = dict(zip(builds, pool.map(
                lambda item: bundle.build(item[1][0], root / item[0], compiled=item[1][1]),
                builds.items()), strict=True))
        bare = root / "bare"
        bare.mkdir()
        (bare / "bare_handler.py").write_text(BARE_HANDLER)
        member = "kado.handlers.member_api.handler"
        template = _bare_template(member_handler)
        ours: dict[str, list[dict[str, float]]] = {"member_api": [],
                                                   "member_api_without_bytecode": []}
        baseline: list[dict[str, float]] = []
        source = bundle.runtime_dir(compiled=False)
        from_source: dict[str, list[dict[str, float]]] = {"member_api": [], "bare": []}
        for n in range(runs):  # alternating: ours with bytecode, bare, ours without, bare
            for i, name in enumerate(ours):
                ours[name].append(_sample(dirs[name], member, env, _spin_event(3 * n + i)))
                baseline.append(_sample(bare, "bare_handler.handler", env,
                                        _bare_request(template, 3 * n + i)))
            # The same pair with the runtime's boto3 from source (no bytecode on either side).
            from_source["member_api"].append(_sample(dirs["member_api"], member, env,
                                                     _spin_event(3 * n + 2), source))
            from_source["bare"].append(_sample(bare, "bare_handler.handler", env,
                                               _bare_request(template, 3 * n + 2), source))
        bare_ms = statistics.median(s["total_ms"] for s in baseline)
        handlers = {name: {**_medians(samples), "cold_start_ratio": round(
            statistics.median(s["total_ms"] for s in samples) / bare_ms, 3)}
            for name, samples in ours.items()}
        for name, (path, query, claims) in FIRST_REQUESTS.items():
            samples = [_sample(dirs[name], f"kado.handlers.{name}.handler", env,
                               graphql_event(path, query, claims)) for _ in range(runs)]
            handlers[name] = {**_medians(samples), "cold_start_ratio": round(
                statistics.median(s["total_ms"] for s in samples) / bare_ms, 3)}
        source_ms = {k: statistics.median(s["total_ms"] for s in v)
                     for k, v in from_source.items()}
        return {"runs": runs, "python": _version(),
                "runtime_boto3": "compiled by pip, as the Lambda image ships it (bytecode "
                                 "for boto3 and botocore on both sides)",
                "bare_boto3_handler": _medians(baseline),
                "handlers": handlers,
                "member_api_with_runtime_boto3_from_source": {
                    "member_api_total_ms": round(source_ms["member_api"], 1),
                    "bare_total_ms": round(source_ms["bare"], 1),
                    "cold_start_ratio": round(source_ms["member_api"] / source_ms["bare"], 3),
                    "note": "the runtime's boto3 without bytecode: the same ~0.3 s on both "
                            "sides, so a kinder ratio; reported, not the goal"},
                "member_api_top_imports": top_imports(dirs["member_api"], env),
                "member_api_imports_admin_or_merchant_schema": _other_schemas(
                    dirs["member_api"], env)}


def _version() -> str:
    return subprocess.run([bundle.python312(), "--version"], capture_output=True,  # noqa: S603
                          text=True, check=True).stdout.strip()


def _import_lines(directory: Path, env: dict[str, str]) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module with its nesting) from `-X importtime`, in the bundle."""
    code = (f"import sys; sys.path[:1] = [{str(directory)!r}, {str(bundle.runtime_dir())!r}]; "
            "import kado.handlers.member_api")
    out = subprocess.run([bundle.python312(), "-S", "-B", "-X", "importtime", "-c", code],  # noqa: S603
                         capture_output=True, text=True, check=True,
                         env=bundle.lambda_environment(directory, env)).stderr
    rows = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def top_imports(directory: Path, env: dict[str, str], count: int = 10) -> list[dict[str, Any]]:
    """The modules that cost the member handler's import most (cumulative: a package with
    its children, so a parent and its heaviest child can both appear)."""
    top = [r for r in _import_lines(directory, env)
           if r[2].strip() != "kado.handlers.member_api"]
    top.sort(key=lambda r: r[1], reverse=True)
    return [{"module": name.strip(), "cumulative_ms": round(cum / 1000, 1),
             "self_ms": round(own / 1000, 1)} for own, cum, name in top[:count]]


def _other_schemas(directory: Path, env: dict[str, str]) -> list[str]:
    names = {r[2].strip() for r in _import_lines(directory, env)}
    return sorted(n for n in names if n in ("kado.api.schemas.admin", "kado.api.schemas.merchant",
                                            "kado.api.vouchers.admin"))
