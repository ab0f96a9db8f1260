"""`kado campaign apply FILE.yaml`: a campaign file through the admin GraphQL API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kado.local.admin_client import AdminCallError, call

UPSERT = """mutation($input: CampaignInput!) {
  upsertCampaign(input: $input) { campaign { id status version } errors { code message field } }
}"""
LAUNCH = """mutation($id: ID!) {
  launchCampaign(id: $id) { campaign { id status serverSeedHash } errors { code message field } }
}"""
FIELDS = {"id", "name", "startsAt", "endsAt", "timezone", "prizes", "limits", "eligibility"}
REQUIRED = ("id", "name", "startsAt", "endsAt", "timezone", "prizes")
PRIZE_FIELDS = {"id", "name", "kind", "weight", "stock", "productId"}


class CampaignFileError(AdminCallError):
    """The file, or what the API said about it, has problems."""


def load(path: Path) -> dict[str, Any]:
    """Read and shape-check a campaign file; every problem is reported with its path."""
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise CampaignFileError([f"{path}: not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CampaignFileError([f"{path}: must be a mapping of campaign fields"])
    problems = [f"{name}: required" for name in REQUIRED if name not in data]
    problems += [f"{name}: unknown field" for name in sorted(set(data) - FIELDS)]
    prizes = data.get("prizes")
    if "prizes" in data and not isinstance(prizes, list):
        problems.append("prizes: must be a list")
    for i, prize in enumerate(prizes if isinstance(prizes, list) else []):
        if not isinstance(prize, dict):
            problems.append(f"prizes[{i}]: must be a mapping")
            continue
        problems += [f"prizes[{i}].{k}: unknown field" for k in sorted(set(prize) - PRIZE_FIELDS)]
        problems += [f"prizes[{i}].{k}: required" for k in ("id", "name", "kind", "weight")
                     if k not in prize]
    if problems:
        raise CampaignFileError(problems)
    for moment in ("startsAt", "endsAt"):
        if not isinstance(data[moment], str):
            data[moment] = data[moment].isoformat()  # YAML parsed it as a datetime
    return data


def apply(path: Path, endpoint: str, token: str, launch: bool) -> dict[str, Any]:
    campaign = load(path)
    payload = call(endpoint, token, UPSERT, {"input": campaign})["upsertCampaign"]
    if payload["errors"]:
        raise CampaignFileError([f"{e['field'] or 'campaign'}: {e['message']}"
                                 for e in payload["errors"]])
    result: dict[str, Any] = payload["campaign"]
    if launch and result["status"] == "DRAFT":
        launched = call(endpoint, token, LAUNCH, {"id": campaign["id"]})["launchCampaign"]
        if launched["errors"]:
            raise CampaignFileError([f"launch: {e['message']}" for e in launched["errors"]])
        result = launched["campaign"]
    return result
