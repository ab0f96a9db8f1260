"""Running `kado` as a user would: the CLI in a subprocess, the dev server over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kado.local.dynamodb_local import free_port

ROOT = Path(__file__).resolve().parents[2]
KADO = [sys.executable, "-m", "kado.cli"]
def kado(*args, data_dir):
    out = subprocess.run([*KADO, *args, "--data-dir", str(data_dir)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    return out


def start_dev(data_dir, *extra, env=None):
    """`kado dev --memory` on a free port; returns the process once it answers HTTP."""
    port = free_port()
    env = {**os.environ, "KADO_TABLE": "kado", **(env or {})}
    process = subprocess.Popen([*KADO, "dev", "--memory", "--port", str(port),
                                "--data-dir", str(data_dir), *extra], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                return base, process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"kado dev did not start: {process.stdout.read() if process.stdout else ''}")


def gql(base, path, token, query, variables=None, headers=None):
    sent = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    return httpx.post(f"{base}{path}", json={"query": query, "variables": variables},
                      headers=sent, timeout=30)
