"""The checked-in SDL under graphql/ is generated from the code; CI fails on drift."""

from __future__ import annotations

import importlib
from pathlib import Path

SCHEMAS = ("member", "merchant", "admin")


def render(name: str) -> str:
    module = importlib.import_module(f"kado.api.{name}")
    return module.schema.as_str().rstrip() + "\n"


def export(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.graphql"
        path.write_text(render(name))
        written.append(path)
    return written


def drifted(folder: Path) -> list[str]:
    return [name for name in SCHEMAS
            if not (folder / f"{name}.graphql").exists()
            or (folder / f"{name}.graphql").read_text() != render(name)]
