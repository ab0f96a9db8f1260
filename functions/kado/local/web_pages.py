"""The till and console pages for `kado dev`: the built files of web/ (see docs/adr/0007),
served at /till and /console beside the API, as CloudFront serves them in AWS."""

from __future__ import annotations

import json
import mimetypes
import os
from pathlib import Path

PAGES = ("till", "console", "graphiql")
WEB_DIR_ENV = "KADO_WEB_DIR"
# Dev: the pages call the API on their own origin and sign in with a pasted dev token.
# KADO_PAGES_CONFIG replaces it (the OIDC settings a deployment's config.json holds).
CONFIG_ENV = "KADO_PAGES_CONFIG"
DEV_CONFIG = json.dumps({"mode": "dev", "apiBase": ""})
NOT_BUILT = (b"<!doctype html><title>Kado</title><p>The pages are not built yet: run "
             b"<code>make web</code> (or <code>make dev</code>), then reload.</p>")


# The till's and the console's Content-Security-Policy: their own scripts and styles only,
# nothing inline, calls to their own origin (the API) and the sign-in's issuer. CloudFront
# sends the same policy (template.yaml, PagesSecurityHeaders; a unit test compares them).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'{connect}; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
GUARDED = ("till", "console")


def content_security_policy() -> str:
    """The policy, with the OIDC issuer and token endpoint the configuration names."""
    oidc = json.loads(os.environ.get(CONFIG_ENV, DEV_CONFIG)).get("oidc") or {}
    origins = [o for o in (oidc.get("issuer"), oidc.get("tokenOrigin")) if o]
    return CSP.format(connect="".join(f" {o}" for o in origins))


def headers(path: str) -> list[tuple[bytes, bytes]]:
    """Headers a page path is served with (the policy on the pages, not on GraphiQL)."""
    if path.strip("/").partition("/")[0] in GUARDED:
        return [(b"content-security-policy", content_security_policy().encode())]
    return []


def web_dir() -> Path:
    """web/dist of the checkout this package runs from, unless KADO_WEB_DIR says otherwise."""
    configured = os.environ.get(WEB_DIR_ENV)
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "web" / "dist"


def is_page(path: str) -> bool:
    return path == "/config.json" or path.split("/")[1] in PAGES


def resolve(path: str) -> tuple[int, bytes, bytes]:
    """Status, body and content type for a page path (`/till`, `/till/app.js`, ...)."""
    if path == "/config.json":
        return 200, os.environ.get(CONFIG_ENV, DEV_CONFIG).encode(), b"application/json"
    page, _, rest = path.strip("/").partition("/")
    root = web_dir() / page
    target = (root / (rest or "index.html")).resolve()
    if not target.is_relative_to(root.resolve()):  # no climbing out of the pages
        return 404, b"not found", b"text/plain"
    if not target.is_file():
        if not (root / "index.html").is_file():
            return 503, NOT_BUILT, b"text/html; charset=utf-8"
        return 404, b"not found", b"text/plain"
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    return 200, target.read_bytes(), kind.encode()
