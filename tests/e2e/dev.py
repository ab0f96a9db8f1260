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


def start_dev(data_dir, *extra, env=None, output=subprocess.PIPE):
    """`kado dev --memory` on a free port; returns the process once it answers HTTP.
    `output`: where it prints (a server that prints every fact, --events, left on a pipe
    nobody reads would stall once the pipe is full: give it a file)."""
    port = free_port()
    env = {**os.environ, "KADO_TABLE": "kado", **(env or {})}
    process = subprocess.Popen([*KADO, "dev", "--memory", "--port", str(port),
                                "--data-dir", str(data_dir), *extra], cwd=ROOT, env=env,
                               stdout=output, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                return base, process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"kado dev did not start: {process.stdout.read() if process.stdout else ''}"
                if output is subprocess.PIPE else "kado dev did not start: see its output")


def gql(base, path, token, query, variables=None, headers=None):
    sent = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    return httpx.post(f"{base}{path}", json={"query": query, "variables": variables},
                      headers=sent, timeout=30)
