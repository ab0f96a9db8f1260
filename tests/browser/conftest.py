"""The pages in Debian's Chromium, driven by Playwright, against `kado dev` (make test
installs Chromium when it is missing; Playwright downloads no browser)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kado.local import seed, tokens
from tests.e2e.dev import gql, start_dev

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium reaches for Google's hosts, which this
# closed network refuses many at a time.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Where the screenshots go (docs/screenshots holds the ones last looked at).
SHOTS = Path(os.environ.get("KADO_SCREENSHOTS", tempfile.gettempdir() + "/kado-screenshots"))


class Dev:
    def __init__(self, base: str, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.base = base
        self.key = tokens.signing_key(data_dir)

    def token(self, role: str, subject: str, account: str | None = None) -> str:
        return tokens.mint(self.key, seed.PROGRAM, subject, role, account)

    def launched(self, campaign_id: str, prizes: list[dict[str, Any]],
                 starts_at: str = "2020-01-01T00:00:00Z") -> None:
        """A LIVE campaign made through the admin API, as a partner back end would."""
        admin = self.token("admin", seed.ADMIN)
        made = gql(self.base, "/admin/graphql", admin, """mutation($i: CampaignInput!) {
            upsertCampaign(input: $i) { errors { message } } }""", {"i": {
            "id": campaign_id, "name": campaign_id.replace("-", " ").capitalize(),
            "timezone": "UTC", "startsAt": starts_at, "endsAt": "2099-01-01T00:00:00Z",
            "prizes": prizes}}).json()
        assert made["data"]["upsertCampaign"]["errors"] == [], made
        gql(self.base, "/admin/graphql", admin,
            f'mutation {{ launchCampaign(id: "{campaign_id}") {{ errors {{ message }} }} }}')


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dev]:
    data_dir = tmp_path_factory.mktemp("kado-dev")
    # With the facts lake (--events), so the console's report jobs run; it prints every fact.
    with (data_dir / "dev.log").open("w") as output:
        base, process = start_dev(data_dir, "--events", output=output)
    try:
        yield Dev(base, data_dir)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make chromium` (make test does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield Browser(launched)
        launched.close()


class Browser:
    """Chromium, whose pages let Playwright's own string predicates run (they are compiled
    with eval, which the pages' policy forbids); test_security_headers.py opens its pages
    under the policy as it is served (`under_policy`)."""

    def __init__(self, launched: Any) -> None:
        self.launched = launched

    def new_page(self, **options: Any) -> Any:
        return self.launched.new_page(**{"bypass_csp": True, **options})

    def under_policy(self, **options: Any) -> Any:
        return self.launched.new_page(**{**options, "bypass_csp": False})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.launched, name)


def shot(page: Any, name: str) -> None:
    """A screenshot of a main screen, to be looked at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
