"""Cold start: a fresh interpreter imports a handler and serves its first request.

Compared with `import boto3` alone in the same kind of fresh interpreter, which
every Python Lambda that talks to AWS pays anyway. Medians of several runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import Any

FIRST_REQUESTS = {
    "member_api": ("/member/graphql", "{ me { id } }", {"sub": "cold", "program": "bench"}),
    "merchant_api": ("/merchant/graphql", "{ me { id } }",
                     {"sub": "till-1", "program": "bench", "role": "merchant"}),
    "admin_api": ("/admin/graphql", "{ campaigns(first: 1) { nodes { id } } }",
                  {"sub": "bench-admin", "program": "bench", "role": "admin"}),
}
HANDLER_RUN = """
import json, time
from kado.local.apigw import LambdaContext, graphql_event
event = graphql_event({path!r}, {query!r}, {claims!r})
start = time.perf_counter()
import kado.handlers.{module} as module
imported = time.perf_counter()
response = module.handler(event, LambdaContext())
done = time.perf_counter()
print(json.dumps({{"import_ms": (imported - start) * 1000,
                  "first_request_ms": (done - start) * 1000,
                  "status": response["statusCode"]}}))
"""
BOTO3_RUN = """
import json, time
start = time.perf_counter()
import boto3
print(json.dumps({"import_ms": (time.perf_counter() - start) * 1000}))
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # As deployed: production settings, no inline key, not inside Lambda (so no X-Ray).
    env["KADO_ENV"] = "prod"
    env.pop("KADO_CODE_KEY", None)
    return env


def _python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    # Our own interpreter running code built here from constants, not outside input.
    return subprocess.run([sys.executable, *flags, "-c", code],  # noqa: S603
                          capture_output=True, text=True, env=_environment(), check=True)


def _result(code: str) -> dict[str, Any]:
    # Our JSON is the last line; Powertools prints its cold-start metric (EMF) before it.
    last: dict[str, Any] = json.loads(_python(code).stdout.strip().splitlines()[-1])
    return last


def measure(runs: int) -> dict[str, Any]:
    boto3_ms = statistics.median(_result(BOTO3_RUN)["import_ms"] for _ in range(runs))
    handlers: dict[str, Any] = {}
    for module, (path, query, claims) in FIRST_REQUESTS.items():
        code = HANDLER_RUN.format(module=module, path=path, query=query, claims=claims)
        samples = [_result(code) for _ in range(runs)]
        assert all(s["status"] == 200 for s in samples), samples
        first = statistics.median(s["first_request_ms"] for s in samples)
        handlers[module] = {
            "import_ms": round(statistics.median(s["import_ms"] for s in samples), 1),
            "import_and_first_request_ms": round(first, 1),
            "cold_start_ratio": round(first / boto3_ms, 3),
        }
    return {"runs": runs, "boto3_import_ms": round(boto3_ms, 1), "handlers": handlers,
            "member_api_top_imports": top_imports("member_api"),
            "member_api_imports_admin_or_merchant_schema": _imports_other_schemas()}


def _import_lines(module: str) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module with its nesting) from `python -X importtime`."""
    out = _python(f"import kado.handlers.{module}", "-X", "importtime").stderr
    rows = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def top_imports(module: str, count: int = 10) -> list[dict[str, Any]]:
    """The modules that cost the handler's import most (cumulative: a package with its
    children, so a parent and its heaviest child can both appear)."""
    top = [r for r in _import_lines(module) if r[2].strip() != f"kado.handlers.{module}"]
    top.sort(key=lambda r: r[1], reverse=True)
    return [{"module": name.strip(), "cumulative_ms": round(cum / 1000, 1),
             "self_ms": round(own / 1000, 1)} for own, cum, name in top[:count]]


def _imports_other_schemas() -> list[str]:
    names = {r[2].strip() for r in _import_lines("member_api")}
    return sorted(n for n in names if n in ("kado.api.admin", "kado.api.merchant",
                                             "kado.api.admin_vouchers", "aws_xray_sdk"))
