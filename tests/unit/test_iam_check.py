"""The bundle tier's IAM check: a call is allowed only as template.yaml grants it, so a
permission taken out of the template fails the tier (nothing local enforces IAM)."""

from __future__ import annotations

import copy

from kado.local import iam, sam_template

ENV = {"KADO_TABLE": "kado-bundle", "KADO_CODE_KEY_SECRET": "arn:secret:code-key"}
SPIN = [
    {"service": "dynamodb", "operation": "TransactWriteItems", "params": {"TransactItems": [
        {"Update": {"TableName": "kado-bundle", "Key": {"pk": {"S": "P#p1#M#alice"},
                                                        "sk": {"S": "META"}}}},
        {"ConditionCheck": {"TableName": "kado-bundle",
                            "Key": {"pk": {"S": "P#p1#A#acme#3"}, "sk": {"S": "META"}}}}]}},
    {"service": "dynamodb", "operation": "Query",
     "params": {"TableName": "kado-bundle", "IndexName": "gsi1",
                "KeyConditionExpression": "#pk = :pk", "ExpressionAttributeNames": {
                    "#pk": "gsi1pk"}, "ExpressionAttributeValues": {":pk": {"S": "x"}}}},
    {"service": "secretsmanager", "operation": "GetSecretValue",
     "params": {"SecretId": "arn:secret:code-key"}},
]


def member_statements(template):
    return template["Resources"]["MemberApiFunction"]["Properties"]["Policies"][0][
        "Statement"]


def test_the_member_api_may_make_a_spins_calls():
    assert iam.refusals(sam_template.load(), "MemberApiFunction", SPIN, ENV) == []


def test_a_permission_taken_out_of_the_template_is_refused():
    template = copy.deepcopy(sam_template.load())
    member_statements(template)[0]["Action"].remove("dynamodb:ConditionCheckItem")
    assert iam.refusals(template, "MemberApiFunction", SPIN, ENV) == [
        "MemberApiFunction may not dynamodb:ConditionCheckItem on table "
        "(keys ['P#p1#A#acme#3'])"]


def test_a_secret_its_own_policy_keeps_from_a_role_is_refused():
    template = copy.deepcopy(sam_template.load())
    deny = template["Resources"]["CodeKeySecretPolicy"]["Properties"]["ResourcePolicy"][
        "Statement"][0]["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
    deny[:] = [role for role in deny if "MemberApi" not in str(role)]
    assert iam.refusals(template, "MemberApiFunction", SPIN, ENV) == [
        "CodeKeySecret's own policy denies MemberApiFunction secretsmanager:GetSecretValue"]


def test_a_delete_outside_the_waitlist_is_refused():
    delete = [{"service": "dynamodb", "operation": "DeleteItem", "params": {
        "TableName": "kado-bundle", "Key": {"pk": {"S": "P#p1#M#alice"}, "sk": {"S": "X"}}}}]
    assert iam.refusals(sam_template.load(), "MemberApiFunction", delete, ENV) == [
        "MemberApiFunction may not dynamodb:DeleteItem on table (keys ['P#p1#M#alice'])"]


REPORT_ENV = {"KADO_REPORTS_WORKGROUP": "wg", "KADO_FACTS_BUCKET": "facts",
              "KADO_FACTS_DATABASE": "kado_facts", "KADO_CLAIM_PHOTOS_BUCKET": "photos"}
REPORT = [{"service": "athena", "operation": "StartQueryExecution", "params": {
    "QueryString": "UNLOAD (SELECT * FROM spin_won_v1 WHERE program = 'p1') "
                   "TO 's3://facts/reports/j1/parquet/' WITH (format = 'PARQUET')",
    "QueryExecutionContext": {"Database": "kado_facts"}, "WorkGroup": "wg",
    "ResultConfiguration": {"OutputLocation": "s3://facts/athena-results/"}}},
    {"service": "athena", "operation": "GetQueryResults", "params": {"QueryExecutionId": "q"}},
    {"service": "s3", "operation": "GetObject",
     "params": {"Bucket": "facts", "Key": "athena-results/q.csv"}}]


def admin_statements(template):
    return template["Resources"]["AdminApiFunction"]["Properties"]["Policies"][0][
        "Statement"]


def test_a_report_needs_athena_glue_and_the_lakes_bucket_as_the_template_grants():
    assert iam.refusals(sam_template.load(), "AdminApiFunction", REPORT, REPORT_ENV) == []
    template = copy.deepcopy(sam_template.load())
    statements = admin_statements(template)
    statements[:] = [s for s in statements if "glue:GetTable" not in s["Action"]]
    assert iam.refusals(template, "AdminApiFunction", REPORT, REPORT_ENV) == [
        f"AdminApiFunction may not glue:{action} on {resource} (keys [])" for action, resource in
        (("GetDatabase", "database/FactsDatabaseName"),
         ("GetPartitions", "table/FactsDatabaseName/spin_won_v1"),
         ("GetTable", "table/FactsDatabaseName/spin_won_v1"))]


def test_an_object_outside_the_granted_prefix_is_refused():
    photo = [{"service": "s3", "operation": "HeadObject",
              "params": {"Bucket": "photos", "Key": "elsewhere/x.jpg"}}]
    assert iam.refusals(sam_template.load(), "AdminApiFunction", photo, REPORT_ENV) == [
        "AdminApiFunction may not s3:GetObject on ClaimPhotosBucket/elsewhere/x.jpg (keys [])"]
    photo[0]["params"]["Key"] = "claims/p1/ann/x.jpg"
    assert iam.refusals(sam_template.load(), "AdminApiFunction", photo, REPORT_ENV) == []
