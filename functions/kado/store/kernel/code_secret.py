"""The voucher-code master key, read once per process from where config says it lives."""

from __future__ import annotations

from typing import Any

from kado.config import ConfigError, settings


def master_key() -> str:
    cfg = settings()
    if cfg.code_key_secret:
        from botocore.session import get_session

        # Read once per Lambda instance (the caller caches the keys), never per request.
        client: Any = get_session().create_client("secretsmanager", region_name=cfg.region)
        return str(client.get_secret_value(SecretId=cfg.code_key_secret)["SecretString"])
    if cfg.code_key:
        return cfg.code_key
    raise ConfigError("no voucher-code key: set KADO_CODE_KEY_SECRET (AWS) or KADO_CODE_KEY "
                      "(dev and test)")
