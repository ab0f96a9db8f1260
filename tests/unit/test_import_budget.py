"""What the member Lambda imports on a cold start: only what its first request needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = ("import json, sys, kado.handlers.member_api; "
         "print(json.dumps(sorted(sys.modules)))")


def _modules_after_import() -> set[str]:
    env = {**os.environ, "KADO_ENV": "prod"}
    env.pop("KADO_CODE_KEY", None)
    env.pop("LAMBDA_TASK_ROOT", None)
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env=env, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_member_handler_imports_no_other_schema_and_no_xray_outside_lambda():
    loaded = _modules_after_import()
    assert "kado.api.schemas.member" in loaded
    assert not {"kado.api.schemas.admin", "kado.api.vouchers.admin",
                "kado.api.schemas.merchant"} & loaded
    assert not any(name.startswith("aws_xray_sdk") for name in loaded)
    # Voucher crypto loads on the first voucher operation, not at import.
    assert not {"cryptography.hazmat.primitives.ciphers.aead",
                "cryptography.hazmat.primitives.kdf.hkdf"} & loaded
