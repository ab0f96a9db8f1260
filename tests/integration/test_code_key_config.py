"""Where the voucher-code key comes from: Secrets Manager in AWS, inline only outside prod."""

from __future__ import annotations

import boto3
import pytest

from kado.config import ConfigError, load_settings, reset_settings
from kado.domain.vouchers.code_sealing import CodeKeys
from kado.services.kernel import code_key_ring as code_keys


@pytest.fixture
def fresh_keys():
    reset_settings()
    code_keys.reset()
    yield
    reset_settings()
    code_keys.reset()


def test_the_key_is_read_from_the_secret_the_template_names(database, monkeypatch, fresh_keys):
    master = "s" * 64
    arn = boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name="kado-code-key", SecretString=master)["ARN"]
    monkeypatch.setenv("KADO_CODE_KEY_SECRET", arn)
    monkeypatch.delenv("KADO_CODE_KEY")
    reset_settings()
    assert code_keys.keys().lookup("p", "CODE1234") == CodeKeys(master).lookup("p", "CODE1234")


def test_an_inline_key_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("KADO_ENV", "prod")
    monkeypatch.setenv("KADO_CODE_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="Secrets Manager"):
        load_settings()


def test_no_key_at_all_is_a_clear_error(monkeypatch, fresh_keys):
    monkeypatch.delenv("KADO_CODE_KEY")
    monkeypatch.delenv("KADO_CODE_KEY_SECRET", raising=False)
    reset_settings()
    with pytest.raises(ConfigError, match="no voucher-code key"):
        code_keys.keys()
