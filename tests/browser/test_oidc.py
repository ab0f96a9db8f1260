"""Sign-in as in AWS: OpenID Connect authorization code with PKCE against the issuer in
config.json, played by a small identity provider that checks the verifier (S256)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from kado.local import seed, tokens
from kado.local.dynamodb_local import free_port
from tests.browser.conftest import PHONE
from tests.e2e.dev import start_dev

pytestmark = pytest.mark.e2e
CLIENT = "kado-pages"


class Provider:
    """Authorize redirects straight back with a code; the token endpoint answers only the
    verifier whose S256 hash was the challenge, once."""

    def __init__(self, id_token: str) -> None:
        self.id_token = id_token
        self.challenges: dict[str, str] = {}
        self.exchanged: list[dict[str, str]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Access-Control-Allow-Origin", "*")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, {"issuer": provider.issuer,
                                     "authorization_endpoint": provider.issuer + "/authorize",
                                     "token_endpoint": provider.issuer + "/token"})
                    return
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                assert query["client_id"] == CLIENT and query["code_challenge_method"] == "S256"
                provider.challenges["code-1"] = query["code_challenge"]
                answer = urlencode({"code": "code-1", "state": query["state"]})
                back = f"{query['redirect_uri']}?{answer}"
                self._send(302, {}, {"Location": back})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.exchanged.append(form)
                challenge = provider.challenges.pop(form.get("code", ""), None)
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                proof = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge is None or proof != challenge:
                    self._send(400, {"error": "invalid_grant"})
                    return
                self._send(200, {"id_token": provider.id_token, "token_type": "Bearer"})

        port = free_port()
        self.issuer = f"http://127.0.0.1:{port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_the_till_signs_in_with_oidc_pkce_and_a_forged_redirect_is_not_exchanged(browser,
                                                                                 tmp_path):
    data_dir = tmp_path / "kado"
    key = tokens.signing_key(data_dir)  # the key this dev server trusts, as AWS trusts the IdP
    provider = Provider(tokens.mint(key, seed.PROGRAM, seed.MERCHANT, "merchant"))
    config = {"apiBase": "", "oidc": {"issuer": provider.issuer, "clientId": CLIENT}}
    base, process = start_dev(data_dir, env={"KADO_PAGES_CONFIG": json.dumps(config)})
    try:
        page = browser.under_policy(viewport=PHONE)  # sign-in under the served policy
        page.goto(f"{base}/till")
        page.click("text=Sign in with your company account")
        page.wait_for_selector(f"text={seed.MERCHANT}")  # signed in: the till knows its shop
        assert page.url == f"{base}/till"  # the code and state are gone from the address
        [exchange] = provider.exchanged
        assert exchange["grant_type"] == "authorization_code"
        assert exchange["redirect_uri"] == f"{base}/till" and len(exchange["code_verifier"]) >= 43
        # A redirect the page did not start (a state it never sent) is not exchanged: the
        # page stays signed in with what it has and sends the code nowhere.
        page.goto(f"{base}/till?code=code-1&state=forged")
        page.wait_for_selector(f"text={seed.MERCHANT}")
        assert len(provider.exchanged) == 1  # a state it did not send is not exchanged
        page.close()
    finally:
        provider.server.shutdown()
        process.terminate()
        process.wait(timeout=30)


def test_with_oidc_a_link_carrying_a_token_signs_no_one_in(browser, tmp_path):
    data_dir = tmp_path / "kado"
    key = tokens.signing_key(data_dir)
    provider = Provider(tokens.mint(key, seed.PROGRAM, seed.ADMIN, "admin"))
    config = {"apiBase": "", "oidc": {"issuer": provider.issuer, "clientId": CLIENT}}
    base, process = start_dev(data_dir, env={"KADO_PAGES_CONFIG": json.dumps(config)})
    try:
        page = browser.under_policy(viewport=PHONE)  # sign-in under the served policy
        linked = tokens.mint(key, "another-program", "intruder", "admin")
        page.goto(f"{base}/console#token={linked}")
        page.wait_for_selector("text=Sign in with your company account")
        assert "token" not in page.url  # dropped from the address, never stored
        assert page.evaluate("Object.keys(sessionStorage)") == []
        page.close()
    finally:
        provider.server.shutdown()
        process.terminate()
        process.wait(timeout=30)
