"""The till and the console run under a strict Content-Security-Policy (their own scripts
and styles, nothing inline, calls to their own origin) with no violation, and the console
says which program and role it is signed into."""

from __future__ import annotations

from kado.local import seed
from tests.browser.conftest import DESKTOP


def watched(browser):
    page = browser.under_policy(viewport=DESKTOP)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy: ' + e.violatedDirective))")
    return page, violations


def test_the_pages_run_under_the_policy_with_no_violation(dev, browser):
    page, violations = watched(browser)
    response = page.goto(f"{dev.base}/console#token={dev.token('admin', seed.ADMIN)}")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    page.wait_for_selector("[data-testid=signed-in-as]")
    assert page.inner_text("[data-testid=signed-in-as]") == \
        f"{seed.ADMIN} · admin · program {seed.PROGRAM}"
    page.wait_for_load_state("networkidle")
    page.goto(f"{dev.base}/till#token={dev.token('merchant', seed.MERCHANT)}")
    page.wait_for_selector(f"text={seed.MERCHANT}")
    page.wait_for_load_state("networkidle")
    assert violations == []
    page.close()
