"""The local HTTP server: the three GraphQL endpoints behind dev-token verification.

It plays API Gateway's part: a POST must carry a bearer token signed with the
local dev key, and the verified claims are handed to the app exactly where the
Lambda handler would find them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jwt

from kado.api.kernel.app import CLAIMS_SCOPE_KEY, KadoGraphQL, reply, reply_message
from kado.domain.principal import Role
from kado.local import test_clock, tokens, web_pages

DATA_DIR_ENV = "KADO_DEV_DATA_DIR"
# Where each worker says it is serving (a file named by its pid), so `kado dev` prints its
# banner only once every worker answers (dev.py).
READY_DIR_ENV = "KADO_DEV_READY_DIR"
INDEX = b"""<!doctype html><title>Kado dev</title><h1>Kado</h1><ul>
<li><a href="/till">/till</a>: redeem vouchers (merchant)</li>
<li><a href="/console">/console</a>: campaigns, vouchers, members (admin)</li>
<li><a href="/member/graphql">/member/graphql</a></li>
<li><a href="/merchant/graphql">/merchant/graphql</a></li>
<li><a href="/admin/graphql">/admin/graphql</a></li></ul>
<p>GraphiQL: add an <code>Authorization: Bearer &lt;token&gt;</code> header
(printed by <code>kado dev</code>, or <code>kado token</code>).</p>"""


LAKE_DIR_ENV = "KADO_LAKE_DIR"


def build_app(signing_key: str) -> Any:
    from kado.api.schemas import admin, member, merchant

    lake_dir = os.environ.get(LAKE_DIR_ENV)
    if lake_dir:  # report jobs run on DuckDB over this server's lake (in every worker)
        from kado.config import settings
        from kado.local.lake import LakeEngine
        from kado.services import reports

        reports.use_local_engine(LakeEngine(Path(lake_dir), Path(settings().export_dir)))

    member_api = KadoGraphQL(member.schema, Role.MEMBER, member.PAGES)
    routes = {
        "/member/graphql": member_api,
        "/merchant/graphql": KadoGraphQL(merchant.schema, Role.MERCHANT),
        "/admin/graphql": KadoGraphQL(admin.schema, Role.ADMIN),
    }

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        raw_path = scope.get("path", "")
        path = raw_path.rstrip("/")
        target = routes.get(path) or next(
            (member_api for prefix in member.PAGES if raw_path.startswith(prefix)), None)
        if target is None:
            if path == "":
                await reply(send, 200, INDEX, b"text/html; charset=utf-8")
            elif web_pages.is_page(raw_path):
                await reply(send, *web_pages.resolve(raw_path),
                            headers=web_pages.headers(raw_path))
            else:
                await reply_message(send, 404, "not found")
            return
        if scope["method"] == "POST":
            try:
                scope[CLAIMS_SCOPE_KEY] = tokens.verify(signing_key, _bearer(scope))
            except (jwt.PyJWTError, ValueError) as refusal:
                await reply_message(send, 401, f"unauthorized: {refusal}")
                return
        await target(scope, receive, send)

    return app


def app_from_environment() -> Any:
    """The app for `kado dev --workers N`: each worker process builds its own."""
    test_clock.install_from_environment()
    return build_app(tokens.signing_key(Path(os.environ[DATA_DIR_ENV])))


def _bearer(scope: dict[str, Any]) -> str:
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                return token.strip()
    raise ValueError("missing bearer token")


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
            ready = os.environ.get(READY_DIR_ENV)
            if ready:
                (Path(ready) / str(os.getpid())).touch()
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
