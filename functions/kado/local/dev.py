"""`kado dev`: DynamoDB Local (or moto, without Java), tables, demo data, HTTP server."""

from __future__ import annotations

import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kado.local import dynamodb_local, seed, test_clock, tokens

ALL_SCHEMAS = ("member", "merchant", "admin")
CODE_KEY_FILE = "dev-code-key"


def use_endpoint(endpoint: str, table: str | None = None) -> None:
    """Point this process's settings and client at a DynamoDB endpoint."""
    from kado.config import reset_settings
    from kado.services.kernel import code_key_ring as code_keys
    from kado.services.kernel import definition_cache
    from kado.store.kernel.client import reset_client

    os.environ["KADO_DYNAMODB_ENDPOINT"] = endpoint
    if table:
        os.environ["KADO_TABLE"] = table
    reset_settings()
    reset_client()
    definition_cache.clear()
    code_keys.reset()


def local_credentials() -> None:
    for name, value in dynamodb_local.LOCAL_CREDENTIALS.items():
        os.environ[name] = value


def start_database(memory: bool, data_dir: Path, endpoint: str | None) -> tuple[str, Any]:
    """Returns the endpoint and a stop function."""
    if endpoint:
        return endpoint, lambda: None
    local_credentials()
    if dynamodb_local.java_available():
        ddb = dynamodb_local.start(data_dir=None if memory else data_dir / "dynamodb")
        return ddb.endpoint, ddb.stop
    print("WARNING: Java is missing, so DynamoDB Local cannot run. Falling back to moto's "
          "server: transactions there are NOT atomic under concurrency and data is lost on "
          "exit. Install Java 17+ for a real engine.", file=sys.stderr)
    from moto.server import ThreadedMotoServer

    port = dynamodb_local.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return f"http://127.0.0.1:{port}", server.stop


class PortTaken(OSError):
    pass


def require_free_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError:
            raise PortTaken(f"port {port} on {host} is in use: stop what runs there, or pick "
                            "another with --port") from None


def banner(host: str, port: int, key: str) -> str:
    merchant = tokens.mint(key, seed.PROGRAM, seed.MERCHANT, "merchant")
    admin = tokens.mint(key, seed.PROGRAM, seed.ADMIN, "admin")
    base = f"http://{host}:{port}"
    return "\n".join([
        f"Kado dev server on {base} (every worker answering)",
        f"  Till (merchant {seed.MERCHANT}): {base}/till#token={merchant}",
        f"  Console (admin):  {base}/console#token={admin}",
        f"  GraphiQL: {base}/member/graphql  {base}/merchant/graphql  {base}/admin/graphql",
        "",
        "The README's first hour runs against this server, block by block, from the project",
        f"folder; start it with:  export KADO={base}",
        "",
    ])


def _banner_when_serving(data_dir: Path, host: str, port: int, workers: int,
                         text: str) -> None:
    """Print the banner once every worker has started and the port answers: a load run
    started on the banner must not meet a connection error."""
    import shutil
    import threading
    import time

    import httpx

    from kado.local.devserver import READY_DIR_ENV

    ready = data_dir / ".ready"
    shutil.rmtree(ready, ignore_errors=True)
    ready.mkdir(parents=True)
    os.environ[READY_DIR_ENV] = str(ready.resolve())
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"  # noqa: S104

    def wait() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if len(list(ready.iterdir())) >= workers:
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        print(text, flush=True)
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        print(text + "\n(some workers did not report ready within two minutes)", flush=True)

    threading.Thread(target=wait, name="kado-dev-banner", daemon=True).start()


def run(host: str, port: int, data_dir: Path, memory: bool, endpoint: str | None,
        table: str, workers: int = 1, clock: tuple[datetime, bool] | None = None,
        events: bool = False) -> None:
    import uvicorn

    require_free_port(host, port)  # before the database, the banner and the tokens
    os.environ["KADO_ENV"] = "dev"
    # Voucher codes are sealed with a machine-local key, kept beside the data it seals.
    os.environ.setdefault("KADO_CODE_KEY", tokens.machine_secret(data_dir, CODE_KEY_FILE))
    if clock is not None:  # every worker reads this one clock (kado/local/test_clock.py)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = test_clock.path_in(data_dir)
        test_clock.set_to(path, *clock)
        os.environ[test_clock.ENV] = str(path.resolve())
        test_clock.install_from_environment()
    # Statement exports are files of this dev server's data: under its data dir.
    os.environ.setdefault("KADO_EXPORT_DIR", str((data_dir / "exports").resolve()))
    db_endpoint, stop = start_database(memory, data_dir, endpoint)
    try:
        use_endpoint(db_endpoint, table)
        from kado.local.devserver import build_app
        from kado.store.kernel.client import dynamodb
        from kado.store.kernel.tables import ensure_table

        ensure_table(dynamodb(), table)
        seed.seed_demo()
        if events:  # from here on: the demo's own history is not replayed
            from kado.local import event_watch

            event_watch.start(db_endpoint, table, lake=data_dir / "lake")
            from kado.local.devserver import LAKE_DIR_ENV

            os.environ[LAKE_DIR_ENV] = str((data_dir / "lake").resolve())
        key = tokens.signing_key(data_dir)
        _banner_when_serving(data_dir, host, port, workers, banner(host, port, key))
        if workers == 1:
            uvicorn.run(build_app(key), host=host, port=port, log_level="warning")
        else:
            # Resolvers are synchronous, so one process serves one request at a
            # time; worker processes (sharing the database) serve in parallel.
            from kado.local.devserver import DATA_DIR_ENV

            os.environ[DATA_DIR_ENV] = str(data_dir.resolve())
            uvicorn.run("kado.local.devserver:app_from_environment", factory=True,
                        workers=workers, host=host, port=port, log_level="warning")
    finally:
        stop()
