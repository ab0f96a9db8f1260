"""template.yaml and store/tables.py describe the same table, and the stack is deployable."""

from kado.local import sam_template
from kado.store import tables

TEMPLATE = sam_template.TEMPLATE
TEMPLATE_DOC = sam_template.load()


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
        actions = {a for s in props["Policies"][0]["Statement"] for a in s["Action"]}
        assert all(a.startswith("dynamodb:") and "*" not in a for a in actions)
        assert not {"dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:DeleteTable"} & actions
        # Each function may read the voucher-code key, and nothing else in Secrets Manager.
        assert props["Policies"][1] == {
            "AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": "CodeKeySecret"}}
    merchant = resources["MerchantApiFunction"]["Properties"]["Policies"][0]["Statement"][0]
    # Redemption is a transaction: conditional put, update and check, never a delete.
    assert set(merchant["Action"]) == {"dynamodb:GetItem", "dynamodb:BatchGetItem",
                                       "dynamodb:Query", "dynamodb:PutItem",
                                       "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"}
    assert TEMPLATE_DOC["Globals"]["Function"]["Environment"]["Variables"][
        "KADO_CODE_KEY_SECRET"] == "CodeKeySecret"
    secret = resources["CodeKeySecret"]
    assert secret["DeletionPolicy"] == "Retain"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    globals_ = TEMPLATE_DOC["Globals"]["Function"]
    assert (globals_["Runtime"], globals_["Architectures"]) == ("python3.12", ["arm64"])
