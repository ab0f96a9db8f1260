"""Statements and a campaign's return from the bundle, every call held against each
function's template role: the admin API queues the jobs, the export queue's function runs
them (statements a step a message, members then companies, to the export bucket on moto's
S3; contributions and revenue from the lake on moto's Athena), and a member's link opens
on the member API without a token, in the reader's language."""

from __future__ import annotations

from botocore.session import get_session

from kado.local.apigw import get_event
from kado.local.sqs import sqs_event
from tests.bundle.test_bundle import ADMIN, CAMPAIGN, call
from tests.support import campaign_input, new_program

SETUP = """mutation {
  upsertEarningRule(input: {id: "per-euro", name: "Per euro", activityType: "PURCHASE",
    pointsPerUnit: 1}) { errors { code } }
  upsertAccount(input: {id: "acme", name: "Acme"}) { errors { code } }
  ann: upsertMember(input: {id: "ann", accountId: "acme"}) { errors { code } }
}"""
START = """mutation($p: String!) { startStatementExport(input: {period: $p,
  idempotencyKey: "bundle-statements-1"}) { export { id status } errors { code } } }"""
STATUS = '{ statementExport(id: "%s") { status members companies } }'
MEASURE = """mutation { measureCampaignReturn(input: {campaignId: "held-wheel",
  marginPercent: 20, tailDays: 0, idempotencyKey: "bundle-measure-1"}) { job { id }
  errors { code field } } }"""
RETURN = """{ reportJob(id: "%s") { status error campaignReturn { treated { members }
  heldOut { members } } } }"""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { outcome } } }"""


def test_statements_are_made_and_a_link_opens_from_the_bundle(instance, secrets_endpoint):
    from datetime import UTC, datetime

    session = get_session()
    bucket = f"kado-statements-{new_program()}"
    session.create_client("s3", endpoint_url=secrets_endpoint,
                          region_name="us-east-1").create_bucket(Bucket=bucket)
    sqs = session.create_client("sqs", endpoint_url=secrets_endpoint, region_name="us-east-1")
    queue = sqs.create_queue(QueueName=f"kado-statements-{new_program()}")["QueueUrl"]
    session.create_client("athena", endpoint_url=secrets_endpoint,
                          region_name="us-east-1").create_work_group(Name=f"{bucket}-wg")
    session.create_client("s3", endpoint_url=secrets_endpoint,
                          region_name="us-east-1").create_bucket(Bucket=f"{bucket}-facts")
    aws = {"KADO_EXPORT_BUCKET": bucket, "KADO_EXPORT_QUEUE": queue,
           "AWS_ENDPOINT_URL_S3": secrets_endpoint, "AWS_ENDPOINT_URL_SQS": secrets_endpoint,
           # Company contributions and a campaign's return read the lake on Athena.
           "KADO_REPORTS_WORKGROUP": f"{bucket}-wg", "KADO_FACTS_BUCKET": f"{bucket}-facts",
           "KADO_FACTS_DATABASE": "kado_facts", "AWS_ENDPOINT_URL_ATHENA": secrets_endpoint}
    console = instance("AdminApiFunction", **aws)
    claims = {"sub": "finance", "program": new_program(), "role": "admin"}
    assert all(p["errors"] == [] for p in call(console, ADMIN, claims, SETUP).values())
    now = datetime.now(UTC)
    call(console, ADMIN, claims, RECORD, {"i": {"activities": [{
        "externalId": "B-1", "memberId": "ann", "type": "PURCHASE",
        "occurredAt": now.isoformat(), "amount": {"value": 1200, "currency": "EUR"}}]}})
    period = now.strftime("%Y-%m")
    job = call(console, ADMIN, claims, START, {"p": period})["startStatementExport"]["export"]
    held = {**campaign_input("held-wheel", [{"id": "none", "name": "No luck", "kind": "NONE",
                                             "weight": 1}]), "holdoutPercent": 50}
    assert call(console, ADMIN, claims, CAMPAIGN, {"i": held})["upsertCampaign"]["errors"] == []
    measuring = call(console, ADMIN, claims, MEASURE)["measureCampaignReturn"]
    assert measuring["errors"] == [], measuring

    # Lambda's SQS trigger: every message the steps send, one invocation each.
    worker = instance("StatementExportFunction", **aws)
    for _ in range(12):
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1).get("Messages")
        if not messages:
            break
        worker.invoke(sqs_event([messages[0]["Body"]]))
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=messages[0]["ReceiptHandle"])
    assert call(console, ADMIN, claims, STATUS % job["id"])["statementExport"] == {
        "status": "DONE", "members": 1, "companies": 1}
    measured = call(console, ADMIN, claims, RETURN % measuring["job"]["id"])["reportJob"]
    assert (measured["status"], measured["campaignReturn"]["treated"]["members"] +
            measured["campaignReturn"]["heldOut"]["members"]) == ("DONE", 1), measured

    app = instance("MemberApiFunction", **aws)
    ann = {"sub": "ann", "program": claims["program"]}
    [mine] = call(app, "/member/graphql", ann, "{ myStatements { period path } }")[
        "myStatements"]
    opened = app.invoke(get_event(mine["path"], {"accept-language": "th-TH"}))["response"]
    assert opened["statusCode"] == 200, opened
    assert opened["headers"]["cache-control"] == "no-store"
    assert "รายการแต้มสะสม" in opened["body"] and ">+12<" in opened["body"]
    assert app.invoke(get_event(mine["path"][:-2] + "xx"))["response"]["statusCode"] == 404
