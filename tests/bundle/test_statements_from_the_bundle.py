"""Statements from the bundle, every call held against each function's template role: the
admin API queues the job, the statement function runs it a step a message (members, then
companies) and writes the pages to the export bucket (moto's S3), and a member's link
opens on the member API without a token, in the reader's language."""

from __future__ import annotations

from botocore.session import get_session

from kado.local.apigw import get_event
from kado.local.sqs import sqs_event
from tests.bundle.test_bundle import ADMIN, call
from tests.support import new_program

SETUP = """mutation {
  upsertEarningRule(input: {id: "per-euro", name: "Per euro", activityType: "PURCHASE",
    pointsPerUnit: 1}) { errors { code } }
  upsertAccount(input: {id: "acme", name: "Acme"}) { errors { code } }
  ann: upsertMember(input: {id: "ann", accountId: "acme"}) { errors { code } }
}"""
START = """mutation($p: String!) { startStatementExport(input: {period: $p,
  idempotencyKey: "bundle-statements-1"}) { export { id status } errors { code } } }"""
STATUS = '{ statementExport(id: "%s") { status members companies } }'
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
    aws = {"KADO_EXPORT_BUCKET": bucket, "KADO_EXPORT_QUEUE": queue,
           "AWS_ENDPOINT_URL_S3": secrets_endpoint, "AWS_ENDPOINT_URL_SQS": secrets_endpoint}
    console = instance("AdminApiFunction", **aws)
    claims = {"sub": "finance", "program": new_program(), "role": "admin"}
    assert all(p["errors"] == [] for p in call(console, ADMIN, claims, SETUP).values())
    now = datetime.now(UTC)
    call(console, ADMIN, claims, RECORD, {"i": {"activities": [{
        "externalId": "B-1", "memberId": "ann", "type": "PURCHASE",
        "occurredAt": now.isoformat(), "amount": {"value": 1200, "currency": "EUR"}}]}})
    period = now.strftime("%Y-%m")
    job = call(console, ADMIN, claims, START, {"p": period})["startStatementExport"]["export"]

    # Lambda's SQS trigger: every message the steps send, one invocation each.
    worker = instance("StatementExportFunction", **aws)
    for _ in range(10):
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1).get("Messages")
        if not messages:
            break
        worker.invoke(sqs_event([messages[0]["Body"]]))
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=messages[0]["ReceiptHandle"])
    assert call(console, ADMIN, claims, STATUS % job["id"])["statementExport"] == {
        "status": "DONE", "members": 1, "companies": 1}

    app = instance("MemberApiFunction", **aws)
    ann = {"sub": "ann", "program": claims["program"]}
    [mine] = call(app, "/member/graphql", ann, "{ myStatements { period path } }")[
        "myStatements"]
    opened = app.invoke(get_event(mine["path"], {"accept-language": "th-TH"}))["response"]
    assert opened["statusCode"] == 200, opened
    assert opened["headers"]["cache-control"] == "no-store"
    assert "รายการแต้มสะสม" in opened["body"] and ">+12<" in opened["body"]
    assert app.invoke(get_event(mine["path"][:-2] + "xx"))["response"]["statusCode"] == 404
