"""Settings, read from the environment and validated once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

ENVIRONMENTS = ("dev", "test", "prod")


class ConfigError(ValueError):
    """The environment does not describe a runnable Kado."""


@dataclass(frozen=True)
class Settings:
    env: str
    table_name: str
    region: str
    dynamodb_endpoint: str | None
    # Campaign definitions are cached per Lambda instance; a pause or end takes
    # effect on the spin path within this many seconds.
    definition_cache_seconds: float
    # Where the voucher-code master key comes from: a Secrets Manager secret in
    # AWS; inline only in dev and test, where it is a throwaway.
    code_key_secret: str | None
    code_key: str | None
    # A merchant's failed code look-ups allowed per minute before every look-up
    # by that merchant is refused until the minute ends.
    failed_lookups_per_minute: int
    # Statement exports: in AWS a queue runs the job and a bucket keeps the files; without
    # them (dev, tests) a background thread runs it and files go under export_dir.
    export_queue_url: str | None = None
    export_bucket: str | None = None
    export_dir: str = ".kado/exports"
    # Receipt photos of claims: uploaded straight to this bucket with a presigned POST.
    # Without it (dev) claims are taken without a photo check.
    claim_photos_bucket: str | None = None
    # Report jobs on Athena: its workgroup (which also fixes where results land), the
    # lake's bucket (Parquet copies) and its Glue database. Without them (dev, tests)
    # reports run on DuckDB over the local lake.
    reports_workgroup: str | None = None
    facts_bucket: str | None = None
    facts_database: str | None = None

    @property
    def is_dev(self) -> bool:
        return self.env in ("dev", "test")


def _positive_float(name: str, default: str) -> float:
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if value < 0:
        raise ConfigError(f"{name} must be >= 0, got {value}")
    return value


def _positive_int(name: str, default: str) -> int:
    value = _positive_float(name, default)
    if value != int(value) or value < 1:
        raise ConfigError(f"{name} must be a whole number >= 1, got {value}")
    return int(value)


def load_settings() -> Settings:
    env = os.environ.get("KADO_ENV", "prod")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"KADO_ENV must be one of {ENVIRONMENTS}, got {env!r}")
    if os.environ.get("KADO_TEST_CLOCK") and env != "dev":
        raise ConfigError("KADO_TEST_CLOCK (a test clock) runs only with KADO_ENV=dev")
    table = os.environ.get("KADO_TABLE", "kado")
    if not 3 <= len(table) <= 255:
        raise ConfigError("KADO_TABLE must be 3..255 characters")
    return Settings(
        env=env,
        table_name=table,
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        dynamodb_endpoint=os.environ.get("KADO_DYNAMODB_ENDPOINT") or None,
        definition_cache_seconds=_positive_float("KADO_CAMPAIGN_CACHE_SECONDS", "5"),
        code_key_secret=os.environ.get("KADO_CODE_KEY_SECRET") or None,
        code_key=_inline_code_key(env),
        failed_lookups_per_minute=_positive_int("KADO_FAILED_LOOKUPS_PER_MINUTE", "10"),
        export_queue_url=os.environ.get("KADO_EXPORT_QUEUE") or None,
        export_bucket=os.environ.get("KADO_EXPORT_BUCKET") or None,
        export_dir=os.environ.get("KADO_EXPORT_DIR") or ".kado/exports",
        claim_photos_bucket=os.environ.get("KADO_CLAIM_PHOTOS_BUCKET") or None,
        reports_workgroup=os.environ.get("KADO_REPORTS_WORKGROUP") or None,
        facts_bucket=os.environ.get("KADO_FACTS_BUCKET") or None,
        facts_database=os.environ.get("KADO_FACTS_DATABASE") or None,
    )


def _inline_code_key(env: str) -> str | None:
    key = os.environ.get("KADO_CODE_KEY") or None
    if key and env == "prod":
        raise ConfigError("KADO_CODE_KEY is for dev and test; production reads "
                          "KADO_CODE_KEY_SECRET from Secrets Manager")
    return key


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def reset_settings() -> None:
    """Forget the cached settings (tests and the dev server change the environment)."""
    settings.cache_clear()
