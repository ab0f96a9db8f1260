"""Settings every test tier shares: a test environment with throwaway credentials."""

from __future__ import annotations

import os
import secrets

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
# A throwaway voucher-code master key per test run; nothing secret is committed.
os.environ.setdefault("KADO_CODE_KEY", secrets.token_urlsafe(48))
