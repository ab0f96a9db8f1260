"""Whether an AWS call a function made is one its template role (and the resource's own
policy) allows: moto and DynamoDB Local enforce no IAM, so the bundle tier records every
call each function makes and holds it against template.yaml here (tests/bundle).

Resources are compared by what they are in the template, not by ARN: `KadoTable.Arn` is
"table", `${KadoTable.Arn}/index/gsi1` is "table/index/gsi1", a secret, queue, bucket or
bus is its logical id, found through the environment variable the template sets from it.
A call or a policy shape this does not know is refused, so it is extended, never skipped.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

TABLE = "KadoTable"
# DynamoDB operations and the IAM action each item of them needs.
_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
             "ConditionCheck": "ConditionCheckItem"}
# SAM policy templates this template uses: the actions they grant, and the parameter
# that names the resource.
_SAM_TEMPLATES = {
    "AWSSecretsManagerGetSecretValuePolicy": (("secretsmanager:GetSecretValue",), "SecretArn"),
    "SQSSendMessagePolicy": (("sqs:SendMessage", "sqs:SendMessageBatch",
                              "sqs:GetQueueUrl", "sqs:GetQueueAttributes"), "QueueName"),
    "S3WritePolicy": (("s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"),
                      "BucketName"),
}


@dataclass(frozen=True)
class Need:
    """One permission a call needs: an action on a resource, with the partition keys it
    touches (for dynamodb:LeadingKeys conditions)."""

    action: str
    resource: str
    leading_keys: tuple[str, ...] = ()


def _logical(value: Any) -> str:
    """A template reference as the resource it names."""
    text = ".".join(value) if isinstance(value, list) else str(value)
    text = re.sub(r"\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}", r"\1", text)
    text = re.sub(r"\.(Arn|QueueName|StreamArn)$", "", text)
    return "table" + text[len(TABLE):] if text.startswith(TABLE) else text


def _statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in function["Properties"].get("Policies", []):
        if "Statement" in policy:
            found += policy["Statement"]
            continue
        [(name, params)] = policy.items()
        if name not in _SAM_TEMPLATES:
            raise ValueError(f"policy template {name} is not known to the checker")
        actions, parameter = _SAM_TEMPLATES[name]
        found.append({"Effect": "Allow", "Action": list(actions),
                      "Resource": _logical(params[parameter])})
    return found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _grants(statement: dict[str, Any], need: Need) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    actions = _listed(statement.get("Action"))
    if not any(fnmatch.fnmatchcase(need.action, a) for a in actions):
        return False
    resources = [_logical(r) for r in _listed(statement.get("Resource"))]
    if not any(fnmatch.fnmatchcase(need.resource, r) for r in resources):
        return False
    condition = statement.get("Condition") or {}
    for operator, tests in condition.items():
        if operator != "ForAllValues:StringLike" or set(tests) != {"dynamodb:LeadingKeys"}:
            raise ValueError(f"condition {operator} {list(tests)} is not known to the checker")
        patterns = _listed(tests["dynamodb:LeadingKeys"])
        if not all(any(fnmatch.fnmatchcase(k, p) for p in patterns)
                   for k in need.leading_keys):
            return False
    return True


def _denied_by_resource(template: dict[str, Any], function: str, need: Need) -> bool:
    """A resource policy that denies every principal but some roles (the code key's)."""
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::SecretsManager::ResourcePolicy" or \
                _logical(resource["Properties"]["SecretId"]) != need.resource:
            continue
        for statement in resource["Properties"]["ResourcePolicy"]["Statement"]:
            if statement["Effect"] != "Deny" or not any(
                    fnmatch.fnmatchcase(need.action, a) for a in _listed(statement["Action"])):
                continue
            allowed = _listed(statement["Condition"]["ArnNotEquals"]["aws:PrincipalArn"])
            if f"{function}Role" not in {_logical(a).removesuffix(".Arn") for a in allowed}:
                return True
    return False


def needs(call: dict[str, Any], env_resources: dict[str, str]) -> list[Need]:
    """The permissions one recorded call needs. `env_resources` maps the values of the
    function's environment (a secret's ARN, a queue's URL) to the logical ids they name."""
    service, operation, params = call["service"], call["operation"], call["params"]
    if service == "dynamodb":
        return _dynamodb_needs(operation, params)
    named = {"secretsmanager": params.get("SecretId"), "sqs": params.get("QueueUrl"),
             "s3": params.get("Bucket"),
             "events": next((e.get("EventBusName") for e in params.get("Entries", [])), None)}
    if service not in named:
        raise ValueError(f"{service}:{operation} is not known to the checker")
    resource = env_resources.get(str(named[service]), f"unknown:{named[service]}")
    return [Need(f"{service}:{operation}", resource)]


def _pk(key: dict[str, Any]) -> str:
    return str(key.get("pk", {}).get("S", ""))


def _dynamodb_needs(operation: str, params: dict[str, Any]) -> list[Need]:
    if operation == "TransactWriteItems":
        return [Need(f"dynamodb:{_TRANSACT[kind]}", "table", (_pk(body["Key"] if "Key" in body
                                                                  else body["Item"]),))
                for item in params["TransactItems"] for kind, body in item.items()]
    if operation == "BatchGetItem":
        return [Need("dynamodb:BatchGetItem", "table", tuple(_pk(k) for k in t["Keys"]))
                for t in params["RequestItems"].values()]
    if operation == "Query":
        index = params.get("IndexName")
        return [Need("dynamodb:Query", f"table/index/{index}" if index else "table",
                     _query_keys(params))]
    key = params.get("Key") or params.get("Item") or {}
    return [Need(f"dynamodb:{operation}", "table", (_pk(key),) if key else ())]


def _query_keys(params: dict[str, Any]) -> tuple[str, ...]:
    values = params.get("ExpressionAttributeValues") or {}
    names = params.get("ExpressionAttributeNames") or {}
    condition = params.get("KeyConditionExpression", "")
    pk_placeholder = next((k for k, v in names.items() if v == "pk"), "pk")
    match = re.search(rf"{re.escape(pk_placeholder)}\s*=\s*(:\w+)", condition)
    return (str(values[match.group(1)]["S"]),) if match else ()


def refusals(template: dict[str, Any], function: str, calls: list[dict[str, Any]],
             env: dict[str, str]) -> list[str]:
    """Every recorded call of `function` its role would be refused in AWS, explained."""
    resource = template["Resources"][function]
    statements = _statements(resource)
    variables = {**template.get("Globals", {}).get("Function", {}).get("Environment", {})
                 .get("Variables", {}),
                 **resource["Properties"].get("Environment", {}).get("Variables", {})}
    env_resources = {env[name]: _logical(value) for name, value in variables.items()
                     if name in env}
    refused = []
    for call in calls:
        for need in needs(call, env_resources):
            if not any(_grants(s, need) for s in statements):
                refused.append(f"{function} may not {need.action} on {need.resource} "
                               f"(keys {list(need.leading_keys)})")
            elif _denied_by_resource(template, function, need):
                refused.append(f"{need.resource}'s own policy denies {function} "
                               f"{need.action}")
    return sorted(set(refused))
