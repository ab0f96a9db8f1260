"""Settings every test tier shares: a test environment with throwaway credentials."""

from __future__ import annotations

import os

# Before any kado or boto3 import reads them.
os.environ["KADO_ENV"] = "test"
os.environ.setdefault("KADO_TABLE", "kado-test")
for _name, _value in {"AWS_ACCESS_KEY_ID": "kadolocal", "AWS_SECRET_ACCESS_KEY": "kadolocal",
                      "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ["POWERTOOLS_TRACE_DISABLED"] = "true"
os.environ["POWERTOOLS_METRICS_NAMESPACE"] = "KadoTest"
