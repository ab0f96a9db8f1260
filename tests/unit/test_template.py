"""template.yaml and store/kernel/tables.py describe the same table, and the stack is deployable."""

import json

from kado.local import sam_template
from kado.services.kernel import outbox
from kado.store.kernel import client, tables, transact

TEMPLATE_DOC = sam_template.load()
WAITLIST_ONLY = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["P#*#EV#*#W#*"]}}


def test_table_in_template_matches_the_code():
    props = TEMPLATE_DOC["Resources"]["KadoTable"]["Properties"]
    request = tables.create_table_request("x")
    assert props["KeySchema"] == request["KeySchema"]
    assert sorted(props["AttributeDefinitions"], key=str) == \
        sorted(request["AttributeDefinitions"], key=str)
    assert props["GlobalSecondaryIndexes"] == request["GlobalSecondaryIndexes"]
    assert props["BillingMode"] == request["BillingMode"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": tables.TTL_ATTRIBUTE,
                                                "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_functions_point_at_the_handlers_and_stay_least_privilege():
    resources = TEMPLATE_DOC["Resources"]
    for name, module in (("MemberApiFunction", "member_api"),
                         ("MerchantApiFunction", "merchant_api"),
                         ("AdminApiFunction", "admin_api")):
        props = resources[name]["Properties"]
        assert props["Handler"] == f"kado.handlers.{module}.handler"
        # DynamoDB, and the receipt photos and report jobs (their own tests below)
        actions = {a for a in _actions(name) if a.split(":")[0] not in ("s3", "athena", "glue")}
        assert all(a.startswith("dynamodb:") and "*" not in a for a in actions)
        assert not {"dynamodb:Scan", "dynamodb:DeleteTable"} & actions
        # A delete only ever takes an entry off an event's waitlist, by the key's condition.
        for statement in _statements(name):
            if "dynamodb:DeleteItem" in statement["Action"]:
                assert statement["Condition"] == WAITLIST_ONLY
        # Each function may read the voucher-code key, and nothing else in Secrets Manager.
        assert props["Policies"][1] == {
            "AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": "CodeKeySecret"}}
    merchant = _statements("MerchantApiFunction")[0]
    # Redemption is a transaction: conditional put, update and check, never a delete.
    assert set(merchant["Action"]) == {"dynamodb:GetItem", "dynamodb:BatchGetItem",
                                       "dynamodb:PutItem", "dynamodb:UpdateItem",
                                       "dynamodb:ConditionCheckItem"}
    assert TEMPLATE_DOC["Globals"]["Function"]["Environment"]["Variables"][
        "KADO_CODE_KEY_SECRET"] == "CodeKeySecret"
    secret = resources["CodeKeySecret"]
    assert secret["DeletionPolicy"] == "Retain"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    globals_ = TEMPLATE_DOC["Globals"]["Function"]
    assert (globals_["Runtime"], globals_["Architectures"]) == ("python3.12", ["arm64"])


def test_one_dynamodb_call_gives_up_well_inside_the_function_timeout():
    backoff = sum(min(20, 2**i) for i in range(client.MAX_ATTEMPTS - 1))  # standard mode caps
    one_call = client.MAX_ATTEMPTS * (client.CONNECT_TIMEOUT_S + client.READ_TIMEOUT_S) + backoff
    conflicts = sum(transact.CONFLICT_BASE_DELAY_S * 2**i
                    for i in range(transact.CONFLICT_RETRIES))
    timeout = TEMPLATE_DOC["Globals"]["Function"]["Timeout"]
    assert one_call + conflicts < timeout - 1


def _statements(function):
    policies = TEMPLATE_DOC["Resources"][function]["Properties"]["Policies"]
    return [st for p in policies if "Statement" in p for st in p["Statement"]]


def _actions(function):
    return {a for st in _statements(function)
            for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}


def test_functions_query_the_table_only_where_they_must():
    queries = [st for st in _statements("MerchantApiFunction") if st["Action"] == "dynamodb:Query"]
    # Lists through the index; on the table, only a voucher's own ledger ("already
    # redeemed, when and where").
    assert [(q["Resource"], q.get("Condition")) for q in queries] == [
        ("${KadoTable.Arn}/index/gsi1", None),
        ("KadoTable.Arn", {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["P#*#V#*"]}})]
    member = [st for st in _statements("MemberApiFunction") if "dynamodb:Query" in st["Action"]]
    # Leaderboards and a member's spins in every campaign are read from gsi2 (members and
    # admins read them; tills do not).
    assert [(q["Resource"], q.get("Condition")) for q in member] == [
        (["${KadoTable.Arn}/index/gsi1", "${KadoTable.Arn}/index/gsi2"], None),
        ("KadoTable.Arn", WAITLIST_ONLY)]
    admin = [st["Resource"] for st in _statements("AdminApiFunction")
             if st["Action"] == "dynamodb:Query"]
    assert ["KadoTable.Arn", "${KadoTable.Arn}/index/gsi1",
            "${KadoTable.Arn}/index/gsi2"] in admin
    for function in ("MemberApiFunction", "MerchantApiFunction", "AdminApiFunction"):
        assert "dynamodb:BatchWriteItem" not in _actions(function)


def test_only_the_functions_may_read_the_code_key():
    policy = TEMPLATE_DOC["Resources"]["CodeKeySecretPolicy"]["Properties"]["ResourcePolicy"]
    [deny] = policy["Statement"]
    assert deny["Effect"] == "Deny" and deny["Action"] == "secretsmanager:GetSecretValue"
    readers = deny["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
    resources = TEMPLATE_DOC["Resources"]
    with_key = [name for name in sam_template.function_handlers()
                if {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": "CodeKeySecret"}}
                in resources[name]["Properties"]["Policies"]]
    assert sorted(readers) == sorted(f"{name}Role.Arn" for name in with_key)
    # The three APIs, and the activity queue (a quest it completes may issue a voucher).
    assert sorted(with_key) == ["ActivityIngestFunction", "AdminApiFunction",
                                "MemberApiFunction", "MerchantApiFunction"]


def test_the_outbox_reads_the_stream_in_order_and_loses_nothing():
    props = TEMPLATE_DOC["Resources"]["KadoTable"]["Properties"]
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    publisher = TEMPLATE_DOC["Resources"]["OutboxPublisherFunction"]["Properties"]
    source = publisher["Events"]["Changes"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
    assert "BisectBatchOnFunctionError" not in source  # a split batch could reorder
    # The filter lets through every item type that carries a fact, and nothing else.
    [only] = source["FilterCriteria"]["Filters"]
    woken = json.loads(only["Pattern"])["dynamodb"]["NewImage"]["type"]["S"]
    assert sorted(woken) == sorted(outbox.FACT_ITEM_TYPES)
    assert _actions("OutboxPublisherFunction") == {"events:PutEvents", "dynamodb:GetItem",
                                                   "dynamodb:BatchGetItem", "dynamodb:PutItem"}


def test_every_function_has_a_log_group_with_retention():
    resources = TEMPLATE_DOC["Resources"]
    groups = {r["Properties"]["LogGroupName"] for r in resources.values()
              if r["Type"] == "AWS::Logs::LogGroup" and "RetentionInDays" in r["Properties"]}
    assert groups == {f"/aws/lambda/${{{name}}}" for name in sam_template.function_handlers()}


def test_the_pages_are_private_files_behind_cloudfront_on_the_apis_own_origin():
    resources = TEMPLATE_DOC["Resources"]
    blocked = resources["PagesBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(blocked.values())  # only CloudFront reads the bucket
    policy = resources["PagesBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert policy["Action"] == "s3:GetObject"
    config = resources["PagesDistribution"]["Properties"]["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "pages"
    routed = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(routed) == {"/member/graphql", "/merchant/graphql", "/admin/graphql"}
    assert all(b["TargetOriginId"] == "api" and "POST" in b["AllowedMethods"]
               for b in routed.values())
    # Never cached, and the caller's Authorization reaches the JWT authorizer.
    assert {b["CachePolicyId"] for b in routed.values()} == {
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}
    assert {b["OriginRequestPolicyId"] for b in routed.values()} == {
        "b689b0a8-53d0-40ab-baf2-68738e2966ac"}


def test_the_pages_run_under_the_same_strict_policy_in_aws_and_in_dev():
    from kado.local import web_pages

    policy = TEMPLATE_DOC["Resources"]["PagesSecurityHeaders"]["Properties"][
        "ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert policy["ContentSecurityPolicy"] == web_pages.CSP.format(
        connect=" ${JwtIssuer} ${OidcTokenOrigin}")
    assert "'unsafe-inline'" not in web_pages.CSP and "default-src 'self'" in web_pages.CSP
    distribution = TEMPLATE_DOC["Resources"]["PagesDistribution"]["Properties"]
    assert distribution["DistributionConfig"]["DefaultCacheBehavior"][
        "ResponseHeadersPolicyId"] == "PagesSecurityHeaders"


def test_receipt_photos_are_reached_only_under_claims_and_only_by_whom_needs_them():
    def s3(function):
        return [(st["Action"], st["Resource"]) for st in _statements(function)
                if "s3:" in str(st["Action"])]

    claims = "${ClaimPhotosBucket.Arn}/claims/*"
    assert s3("MemberApiFunction") == [(["s3:PutObject", "s3:GetObject"], claims), (
        "s3:GetObject", "${StatementExportBucket.Arn}/*/statements/*")]  # statement links
    assert ("s3:GetObject", claims) in s3("AdminApiFunction")  # links for reviewers
    assert not any("ClaimPhotosBucket" in str(resource) for _, resource in
                   s3("AdminApiFunction") if resource != claims)
    assert s3("MerchantApiFunction") == []
    bucket = TEMPLATE_DOC["Resources"]["ClaimPhotosBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())


def test_report_jobs_reach_athena_in_their_workgroup_and_the_lake_read_only_in_glue():
    statements = _statements("AdminApiFunction")
    athena = [st for st in statements if "athena:" in str(st["Action"])]
    assert [(st["Action"], st["Resource"][1]) for st in athena] == [(
        ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
        {"WorkGroup": "FactsLake.Outputs.WorkGroup"})]
    glue = {a for st in statements for a in _listed(st["Action"]) if a.startswith("glue:")}
    assert glue and all(a.startswith("glue:Get") for a in glue)
    facts = [st for st in statements if "FactsLake.Outputs.Bucket" in str(st["Resource"])]
    assert {a for st in facts for a in st["Action"]} == {
        "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts", "s3:ListBucket", "s3:GetBucketLocation"}
    variables = TEMPLATE_DOC["Resources"]["AdminApiFunction"]["Properties"]["Environment"][
        "Variables"]
    assert variables["KADO_REPORTS_WORKGROUP"] == "FactsLake.Outputs.WorkGroup"


def _listed(value):
    return value if isinstance(value, list) else [value]


def test_statement_links_open_without_a_token_and_the_statement_job_never_scans():
    member = TEMPLATE_DOC["Resources"]["MemberApiFunction"]["Properties"]
    route = member["Events"]["Statement"]["Properties"]
    assert (route["Method"], route["Path"], route["Auth"]) == (
        "GET", "/statements/{token}", {"Authorizer": "NONE"})
    assert "dynamodb:Scan" not in _actions("StatementExportFunction")
    assert "dynamodb:Scan" not in {a for name in ("MemberApiFunction", "AdminApiFunction")
                                   for a in _actions(name)}
