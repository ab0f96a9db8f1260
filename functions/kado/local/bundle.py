"""The bundle `sam build` makes, built for this host and run as Lambda runs it.

The bundle tests and the cold-start bench use this: the same functions/Makefile
that SAM calls, with wheels for the host's architecture so compiled extensions
load here, and a fresh CPython 3.12 whose path holds only the bundle and boto3.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from kado.local import bundle_runner

FUNCTIONS_DIR = Path(__file__).resolve().parents[2]
CACHE = FUNCTIONS_DIR.parent / ".cache"


class BundleError(RuntimeError):
    pass


def _run(command: list[str], **kwargs: Any) -> str:
    # Fixed commands built here (make, our interpreters), never outside input.
    done = subprocess.run(command, capture_output=True, text=True, check=False,  # noqa: S603
                          **kwargs)
    if done.returncode != 0:
        raise BundleError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@cache
def python312() -> str:
    """The interpreter functions/Makefile compiles with: the Lambda runtime's minor."""
    return _run(["make", "-s", "-C", str(FUNCTIONS_DIR), "print-python312"]).strip()


def build(function: str, out: Path, *, compiled: bool = True) -> Path:
    """`make build-<function>` as SAM runs it, for this machine's architecture.

    Every function's recipe is the same `$(bundle)`, so one build of the current sources
    serves them all: it is made once (under a lock, whichever test worker comes first),
    kept under .cache/bundles/ by the hash of what goes into it, and copied for each."""
    if _recipe(function) != "$(bundle)":
        return _make(function, out, compiled)
    made = CACHE / "bundles" / f"{_inputs_hash()}-{'pyc' if compiled else 'py'}"
    with _locked(made.with_suffix(".lock")):
        if not (made / ".complete").exists():
            for stale in made.parent.glob("*-py*"):  # bundles of sources since changed
                if stale.is_dir() and not stale.name.startswith(made.name.split("-")[0]):
                    shutil.rmtree(stale, ignore_errors=True)
                    stale.with_suffix(".lock").unlink(missing_ok=True)
            shutil.rmtree(made, ignore_errors=True)
            _make(function, made, compiled)
            (made / ".complete").touch()
    shutil.copytree(made, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete"))
    return out


def _make(function: str, out: Path, compiled: bool) -> Path:
    _run(["make", "-s", "-C", str(FUNCTIONS_DIR), f"build-{function}",
          f"ARTIFACTS_DIR={out}", f"WHEEL_ARCH={platform.machine()}",
          f"PIP={sys.executable} -m pip"])
    if not compiled:  # what was shipped before the bundle carried bytecode
        for cache_dir in sorted(out.rglob("__pycache__"), reverse=True):
            for pyc in cache_dir.iterdir():
                pyc.unlink()
            cache_dir.rmdir()
    return out


def _recipe(function: str) -> str:
    lines = (FUNCTIONS_DIR / "Makefile").read_text().splitlines()
    target = f"build-{function}:"
    for here, following in zip(lines, [*lines[1:], ""], strict=True):
        if here.strip() == target:
            return following.strip()
    return ""


def _inputs_hash() -> str:
    """What a bundle is made of: the Makefile, the requirements, the package's sources,
    the wheels' architecture and the runtime's interpreter."""
    digest = hashlib.sha256(f"{platform.machine()} {python312()}".encode())
    files = [FUNCTIONS_DIR / "Makefile", FUNCTIONS_DIR / "requirements.txt",
             *sorted((FUNCTIONS_DIR / "kado").rglob("*.py"))]
    for path in files:
        digest.update(str(path.relative_to(FUNCTIONS_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # other test workers wait for the one build
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@cache
def runtime_dir(compiled: bool = True) -> Path:
    """boto3 and botocore for CPython 3.12, as the Lambda runtime provides them: installed
    by pip, which compiles their bytecode (the image ships it). `compiled=False` is the same
    from source, which the bench reports beside it, since it slows both sides alike."""
    version = metadata.version("boto3")
    target = CACHE / f"lambda-runtime-boto3-{version}{'-compiled' if compiled else ''}"
    if not (target / "boto3").is_dir():
        _run([python312(), "-m", "pip", "install", "--quiet",
              *(() if compiled else ("--no-compile",)), "--target", str(target),
              f"boto3=={version}"])
    return target


def lambda_environment(bundle: Path, extra: dict[str, str]) -> dict[str, str]:
    """What Lambda sets, plus the caller's settings; nothing leaks from this venv."""
    keep = ("PATH", "HOME", "LANG", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"LAMBDA_TASK_ROOT": str(bundle), "AWS_LAMBDA_FUNCTION_NAME": "kado-bundle",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "PYTHONDONTWRITEBYTECODE": "1",
                "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0",
                "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR"})
    env.update(extra)
    return env


class Instance:
    """One Lambda instance: a CPython 3.12 process serving a handler from the bundle."""

    def __init__(self, bundle: Path, handler: str, env: dict[str, str],
                 runtime: Path | None = None) -> None:
        # -S: no site-packages; -B: /var/task is read-only, nothing gets written.
        self.process = subprocess.Popen(  # noqa: S603
            [python312(), "-S", "-B", bundle_runner.__file__, str(bundle),
             str(runtime or runtime_dir()), handler],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=lambda_environment(bundle, env), cwd=bundle)
        self.logs: list[str] = []  # what the function printed: its logs, as CloudWatch keeps
        self.env = env
        self.foreign_modules: list[str] | None = None
        self.aws_calls: list[dict[str, Any]] = []
        self.started = self._next()

    def _next(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(bundle_runner.MARK):
                found: dict[str, Any] = json.loads(line[len(bundle_runner.MARK):])
                return found
            self.logs.append(line)
        raise BundleError(f"the function stopped: {''.join(self.logs[-40:])}")

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """The handler's response, with `ms` the time it took inside the process."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        return self._next()

    def close(self) -> list[str]:
        """Stop the instance; returns the modules it loaded from outside bundle and runtime."""
        if self.foreign_modules is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            last = self._next()
            self.foreign_modules = list(last["foreign_modules"])
            self.aws_calls = list(last.get("aws_calls", []))
            self.process.wait(timeout=30)
        return self.foreign_modules
