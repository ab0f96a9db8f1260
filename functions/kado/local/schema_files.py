"""The checked-in SDL under graphql/ is generated from the code; CI fails on drift."""

from __future__ import annotations

import importlib
from pathlib import Path

from graphql import build_schema, lexicographic_sort_schema, print_schema

SCHEMAS = ("member", "merchant", "admin")


def render(name: str) -> str:
    """The schema's SDL with types and fields in name order, so a checked-in file changes
    only when the contract does (never when a field moves between modules)."""
    module = importlib.import_module(f"kado.api.schemas.{name}")
    sdl = module.schema.as_str()  # Strawberry's printer (enum defaults, directives)
    return print_schema(lexicographic_sort_schema(build_schema(sdl))).rstrip() + "\n"


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
