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


# What an ARN says before the resource: dropped, as resources are compared by what they are.
_ARN_PREFIX = re.compile(r"^arn:\$\{AWS::Partition\}:[a-z0-9-]+:(\$\{AWS::Region\})?:"
                         r"(\$\{AWS::AccountId\})?:")


def _logical(value: Any) -> str:
    """A template reference as the resource it names (a `!Sub [text, {names}]` with its
    names put in; an ARN by its resource part: `workgroup/FactsLake.Outputs.WorkGroup`)."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
        names = value[1]
        value = re.sub(r"\$\{([A-Za-z0-9]+)\}",
                       lambda m: _logical(names[m.group(1)]) if m.group(1) in names
                       else m.group(0), value[0])
    text = ".".join(value) if isinstance(value, list) else str(value)
    text = _ARN_PREFIX.sub("", text)
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
        resource = _logical(params[parameter])
        # An S3 policy template names the bucket and grants on it and on its objects.
        found.append({"Effect": "Allow", "Action": list(actions),
                      "Resource": [resource, f"{resource}/*"] if name.startswith("S3")
                      else resource})
    return found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _grants(statement: dict[str, Any], need: Need) -> bool:
    if statement.get("Effect") != "Allow":
        return False
    actions = _listed(statement.get("Action"))
    if not any(fnmatch.fnmatchcase(need.action, a) for a in actions):
        return False
    resource = statement.get("Resource")
    is_sub = isinstance(resource, list) and len(resource) == 2 and isinstance(resource[1], dict)
    resources = [_logical(r) for r in ([resource] if is_sub else _listed(resource))]
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
    if service == "s3":
        return [_s3_need(operation, params, env_resources)]
    if service == "athena":
        return _athena_needs(operation, params, env_resources)
    named = {"secretsmanager": params.get("SecretId"), "sqs": params.get("QueueUrl"),
             "events": next((e.get("EventBusName") for e in params.get("Entries", [])), None)}
    if service not in named:
        raise ValueError(f"{service}:{operation} is not known to the checker")
    resource = env_resources.get(str(named[service]), f"unknown:{named[service]}")
    return [Need(f"{service}:{operation}", resource)]


# S3 operations whose IAM action has another name.
_S3_ACTIONS = {"HeadObject": "GetObject", "ListObjectsV2": "ListBucket"}


def _s3_need(operation: str, params: dict[str, Any], env_resources: dict[str, str]) -> Need:
    """An object operation needs its action on bucket/key, a bucket operation on the bucket
    (a presigned link is recorded as the call it signs: the signer needs its action)."""
    bucket = env_resources.get(str(params.get("Bucket")), f"unknown:{params.get('Bucket')}")
    resource = f"{bucket}/{params['Key']}" if "Key" in params else bucket
    return Need(f"s3:{_S3_ACTIONS.get(operation, operation)}", resource)


def _s3_place(location: str, env_resources: dict[str, str]) -> tuple[str, str]:
    bucket, _, key = location.removeprefix("s3://").partition("/")
    return env_resources.get(bucket, f"unknown:{bucket}"), key


def _athena_needs(operation: str, params: dict[str, Any],
                  env_resources: dict[str, str]) -> list[Need]:
    """Athena's own calls on the workgroup, and what a query does with the caller's rights:
    reads the tables' definitions from Glue and their files from S3, writes its results
    (and an UNLOAD's files) to S3."""
    # A call on one query names no workgroup: it is the one the function starts its queries
    # in (the function's own setting), or AWS's default where it names none.
    workgroup = str(params.get("WorkGroup") or next(
        (value for value, logical in env_resources.items() if "WorkGroup" in logical),
        "primary"))
    found = [Need(f"athena:{operation}",
                  f"workgroup/{env_resources.get(workgroup, 'unknown:' + workgroup)}")]
    if operation != "StartQueryExecution":
        return found
    database = str(params.get("QueryExecutionContext", {}).get("Database", ""))
    database = env_resources.get(database, f"unknown:{database}")
    query = str(params["QueryString"])
    found.append(Need("glue:GetDatabase", f"database/{database}"))
    written = [params.get("ResultConfiguration", {}).get("OutputLocation", "")]
    written += re.findall(r"TO '(s3://[^']+)'", query)
    for location in filter(None, written):
        bucket, key = _s3_place(location, env_resources)
        found += [Need("s3:PutObject", f"{bucket}/{key}"), Need("s3:GetBucketLocation", bucket)]
    # Each table's definition, and its files: in the lake's bucket, where results go too.
    lake, _ = _s3_place(written[0] or "", env_resources)
    for table in sorted(set(re.findall(r"\b([a-z_]+_v[0-9]+)\b", query))):
        found += [Need(f"glue:{a}", f"table/{database}/{table}")
                  for a in ("GetTable", "GetPartitions")]
        found += [Need("s3:ListBucket", lake), Need("s3:GetObject", f"{lake}/{table}/")]
    return found


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
