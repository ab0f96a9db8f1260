"""GraphiQL in `kado dev` loads from the dev server alone: offline it works."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from kado.local import seed
from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.e2e


def test_graphiql_loads_with_no_request_leaving_the_machine(dev, browser):
    page = browser.new_page(viewport=DESKTOP)
    outside = []

    def only_local(route):
        if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_local)
    token = dev.token("member", seed.MEMBER, seed.MEMBER_ACCOUNT)
    page.goto(f"{dev.base}/member/graphql#token={token}")
    page.wait_for_selector(".graphiql-container", timeout=20000)
    assert outside == []
    page.close()
