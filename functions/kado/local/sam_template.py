"""Reads template.yaml, CloudFormation short-form tags (!Ref, !Sub ...) as plain values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    pass


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _any_tag)


def load(path: Path = TEMPLATE) -> dict[str, Any]:
    document: dict[str, Any] = yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506
    return document


def function_handlers(path: Path = TEMPLATE) -> dict[str, str]:
    """Logical id -> Handler of every Lambda function the template deploys."""
    resources = load(path)["Resources"]
    return {name: r["Properties"]["Handler"] for name, r in resources.items()
            if r["Type"] == "AWS::Serverless::Function"}
