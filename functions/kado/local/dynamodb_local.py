"""Runs AWS's DynamoDB Local (installed by infra/dynamodb-local.sh) as a child process."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(".cache") / "dynamodb-local" / "emulator"
# DynamoDB Local keeps one database per access key and region; a fixed pair
# lets every client in a dev or test run see the same tables.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "kadolocal", "AWS_SECRET_ACCESS_KEY": "kadolocal",
                     "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


class DynamoDBLocalMissing(RuntimeError):
    pass


def emulator_dir() -> Path:
    configured = os.environ.get("KADO_DYNAMODB_LOCAL_DIR")
    if configured:
        return Path(configured)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CACHE / "DynamoDBLocal.jar").exists():
            return folder / CACHE
    raise DynamoDBLocalMissing(
        "DynamoDB Local is not installed: run `bash infra/dynamodb-local.sh` (make does)")


def java_available() -> bool:
    return shutil.which("java") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # Linux: the JVM gets SIGTERM if this process dies, so no orphan survives a crash.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class DynamoDBLocal:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(port: int | None = None, data_dir: Path | None = None,
          timeout_s: float = 60) -> DynamoDBLocal:
    """Start DynamoDB Local in memory, or persistent under data_dir, and wait until it serves."""
    folder = emulator_dir()
    port = port or free_port()
    # Absolute: the JVM runs in the emulator folder, where a relative path would land.
    storage = ["-dbPath", str(data_dir.resolve())] if data_dir else ["-inMemory"]
    if data_dir:
        data_dir.mkdir(parents=True, exist_ok=True)
    command = ["java", f"-Djava.library.path={folder / 'DynamoDBLocal_lib'}", "-jar",
               str(folder / "DynamoDBLocal.jar"), "-port", str(port), "-disableTelemetry",
               *storage]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
    # The command is built from our own paths and numbers, never from user input.
    process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                               preexec_fn=_die_with_parent)  # noqa: PLW1509 - only calls prctl
    local = DynamoDBLocal(process, port)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"DynamoDB Local exited: {log.read().decode()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return local
        time.sleep(0.1)
    local.stop()
    raise RuntimeError(f"DynamoDB Local did not listen on port {port} within {timeout_s}s")
