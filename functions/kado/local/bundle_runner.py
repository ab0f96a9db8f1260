"""Serves one Lambda handler from a built bundle, the way the python3.12 runtime would.

Started by path in a fresh CPython 3.12 with `-S -B` (no site-packages, no bytecode
written), so it may import only the standard library before it narrows `sys.path` to
the bundle and the runtime's boto3, as Lambda's /var/task and /var/runtime.

    argv:   BUNDLE_DIR RUNTIME_DIR MODULE.ATTR
    stdin:  one API Gateway event (JSON) per line
    stdout: lines starting with MARK carry JSON; anything else is the function's own
            output (Powertools logs and metrics)

The first marked line reports the handler's import time; each event gets one marked
line with the response and the time it took; at end of input a last line lists
modules that were loaded from anywhere but the bundle, the runtime or the stdlib, and,
with KADO_RECORD_AWS_CALLS=1, every AWS call the function made (kado/local/iam.py holds
them against the function's template role).
"""

import importlib
import json
import os
import sys
import sysconfig
import time

MARK = "KADO-RUNNER "


class LambdaContext:
    function_name = "kado-bundle"
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:kado-bundle"
    aws_request_id = "bundle-request"
    log_group_name = "/aws/lambda/kado-bundle"
    log_stream_name = "bundle"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def _say(payload: dict) -> None:
    sys.stdout.write(MARK + json.dumps(payload) + "\n")
    sys.stdout.flush()


def _foreign_modules(allowed: tuple[str, ...]) -> list[str]:
    foreign = []
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None)
        if name != "__main__" and where and not where.startswith(allowed):
            foreign.append(f"{name}: {where}")
    return sorted(foreign)


def _record_aws_calls(calls: list) -> None:
    """Every client any session creates records what it is asked, before it is sent."""
    from botocore.session import Session

    create = Session.create_client

    def recording(self, *args, **kwargs):
        client = create(self, *args, **kwargs)
        service = client.meta.service_model.service_name

        def record(params, model, **_):
            calls.append({"service": service, "operation": model.name,
                          "params": json.loads(json.dumps(params, default=str))})

        client.meta.events.register("provide-client-params", record)
        return client

    Session.create_client = recording  # type: ignore[method-assign]


def main() -> None:
    bundle, runtime, target = sys.argv[1:4]
    stdlib = [p for p in sys.path[1:] if "site-packages" not in p]
    sys.path[:] = [bundle, runtime, *stdlib]
    calls: list = []
    if os.environ.get("KADO_RECORD_AWS_CALLS"):
        _record_aws_calls(calls)
    module_name, attribute = target.rsplit(".", 1)
    started = time.perf_counter()
    handler = getattr(importlib.import_module(module_name), attribute)
    _say({"import_ms": (time.perf_counter() - started) * 1000,
          "pyc_in_bundle": os.path.exists(sys.modules[module_name].__cached__)})
    for line in sys.stdin:
        if not line.strip():
            continue
        began = time.perf_counter()
        response = handler(json.loads(line), LambdaContext())
        _say({"response": response, "ms": (time.perf_counter() - began) * 1000})
    allowed = (bundle, runtime, sysconfig.get_paths()["stdlib"],
               sysconfig.get_paths()["platstdlib"])
    _say({"foreign_modules": _foreign_modules(allowed), "aws_calls": calls})


if __name__ == "__main__":
    main()
