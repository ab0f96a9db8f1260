"""Bundle tier: what `sam build` makes, served by CPython 3.12 as Lambda serves it.

Each function named in template.yaml is built with functions/Makefile (wheels for
this host), then run in its own fresh 3.12 process whose path holds only the bundle
and boto3, with production settings: the voucher-code key comes from a Secrets
Manager secret (moto's server) and the data from DynamoDB Local.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botocore.session import get_session

from kado.local import bundle, dynamodb_local, iam, sam_template
from kado.local.dynamodb_local import LOCAL_CREDENTIALS, free_port
from kado.store.kernel.tables import ensure_table

pytestmark = pytest.mark.bundle
HANDLERS = sam_template.function_handlers()


@pytest.fixture(scope="session")
def bundles(tmp_path_factory):
    """Logical id -> built bundle directory, all built at once."""
    root = tmp_path_factory.mktemp("bundles")
    with ThreadPoolExecutor(len(HANDLERS)) as pool:
        built = pool.map(lambda name: (name, bundle.build(name, root / name)), HANDLERS)
        return dict(built)


@pytest.fixture(scope="session")
def secrets_endpoint():
    """moto's server in its own process: an in-process server would share moto's state
    with the integration tier's mocks, which reset it when each of their tests ends."""
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H",
                               "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_for(endpoint)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(endpoint: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def lambda_env(secrets_endpoint):
    """The environment template.yaml gives the functions, pointed at local stand-ins."""
    database = dynamodb_local.start()
    table = "kado-bundle"
    client = get_session().create_client("dynamodb", endpoint_url=database.endpoint,
                                         region_name="us-east-1")
    ensure_table(client, table)
    manager = get_session().create_client("secretsmanager", endpoint_url=secrets_endpoint,
                                          region_name="us-east-1")
    arn = manager.create_secret(Name=f"kado-code-key-{secrets.token_hex(4)}",
                                SecretString=secrets.token_urlsafe(48))["ARN"]
    try:
        yield {**LOCAL_CREDENTIALS, "KADO_ENV": "prod", "KADO_TABLE": table,
               "KADO_DYNAMODB_ENDPOINT": database.endpoint, "KADO_CODE_KEY_SECRET": arn,
               "AWS_ENDPOINT_URL_SECRETS_MANAGER": secrets_endpoint,
               "AWS_ENDPOINT_URL_EVENTBRIDGE": secrets_endpoint, "KADO_EVENT_BUS": "kado-bundle",
               "POWERTOOLS_METRICS_NAMESPACE": "Kado", "POWERTOOLS_LOG_LEVEL": "INFO"}
    finally:
        database.stop()


@pytest.fixture
def instance(bundles, lambda_env):
    """Starts Lambda instances: instance("MemberApiFunction", KADO_SOME_SETTING="1")."""
    started: list[bundle.Instance] = []

    def start(function: str, **env: str) -> bundle.Instance:
        one = bundle.Instance(bundles[function], HANDLERS[function],
                              {**lambda_env, "POWERTOOLS_SERVICE_NAME": function,
                               "KADO_RECORD_AWS_CALLS": "1", **env})
        started.append((function, one))
        return one

    yield start
    template = sam_template.load()
    for function, one in started:
        assert one.close() == [], "modules loaded from outside the bundle and boto3"
        # What AWS would refuse this function, as its template role and the resources'
        # own policies stand (nothing here enforces IAM, so it is checked call by call).
        assert iam.refusals(template, function, one.aws_calls, one.env) == []

