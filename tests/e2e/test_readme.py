"""Every shell block of the README, then of the feature guides (docs/guide), runs as pasted
against a dev server, in order, in one shell (each uses what the one before made), and
nothing it asks is refused: an example cannot rot."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.dev import ROOT, start_dev

pytestmark = pytest.mark.e2e
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.M | re.S)


def blocks(path: Path) -> list[str]:
    return BLOCK.findall(path.read_text())


def test_the_readme_runs_as_pasted(tmp_path):
    found = blocks(ROOT / "README.md")
    assert len(found) >= 8, "the README's first hour lost its examples"
    guides = sorted((ROOT / "docs" / "guide").glob("*.md"))
    found += [b for guide in guides for b in blocks(guide)]
    base, process = start_dev(tmp_path, "--workers", "2")
    try:
        # The blocks as a user pastes them, each followed by a marker the test splits on.
        script = "".join(f"{block}\necho '=== block {n} done'\n" for n, block in enumerate(found))
        env = {**os.environ, "KADO": base, "KADO_HOME": str(tmp_path)}
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    for n in range(len(found)):
        assert f"=== block {n} done" in done.stdout
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(answers) >= 10, done.stdout
    for answer in answers:
        assert "errors" not in answer, answer  # no GraphQL error
        for payload in (answer.get("data") or {}).values():
            if isinstance(payload, dict):
                assert payload.get("errors", []) == [], answer  # no refusal in a payload
    text = done.stdout
    assert '"remainingBalance":250' in text.replace(" ", "")  # 2.50 of 5 EUR taken
    assert '"memberId":"alice","checkedInAt"' in text.replace(" ", "")  # in at the door
    assert '"status":"CANCELLED"' in text.replace(" ", "")  # left the dealer day's line
