"""Every handler in template.yaml imports and serves from the built bundle in CPython 3.12."""

from __future__ import annotations

import json

from botocore.session import get_session

from kado.local.apigw import graphql_event
from kado.local.sam_template import function_handlers
from kado.local.sqs import activity_message, sqs_event
from kado.local.streams import stream_record
from tests.support import campaign_input, new_program

# A program whose members arrive with their first activity (enrolled on the roster).
ENROL = """mutation { upsertLoyaltySettings(input: {unknownMembers: ENROL}) {
  errors { code } } }"""
ADMIN = "/admin/graphql"
CAMPAIGN = """mutation($i: CampaignInput!) { upsertCampaign(input: $i) {
  campaign { id status } errors { code field message } } }"""
LAUNCH = """mutation($id: ID!) { launchCampaign(id: $id) {
  campaign { status serverSeedHash } errors { code } } }"""
PRODUCT = """mutation { upsertVoucherProduct(input: {id: "coffee", name: "Coffee",
  kind: AMOUNT, value: 500, currency: "EUR", validForDays: 30}) { errors { code } } }"""
MERCHANT = """mutation { upsertMerchant(input: {id: "cafe", name: "Cafe"}) { errors { code } } }"""
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won outcome voucherId }
  errors { code } } }"""
MINE = "{ myVouchers { nodes { id code status balance } } }"
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id remainingBalance } errors { code } } }"""


def call(instance, path, claims, query, variables=None):
    answer = instance.invoke(graphql_event(path, query, claims, variables))
    response = answer["response"]
    assert response["statusCode"] == 200, response
    body = json.loads(response["body"])
    # An unexpected error is masked in production: its cause is in the instance's logs.
    causes = [line.strip()[:300] for line in "".join(instance.logs).splitlines()
              if "Error" in line or "Exception" in line]
    assert "errors" not in body, (body, causes[-3:])
    return body["data"]


def test_the_template_names_the_apis_and_the_activity_queue():
    assert sorted(function_handlers().values()) == [
        "kado.handlers.activity_ingest.handler", "kado.handlers.admin_api.handler",
        "kado.handlers.event_timers.handler", "kado.handlers.member_api.handler",
        "kado.handlers.merchant_api.handler", "kado.handlers.outbox_publisher.handler",
        "kado.handlers.statement_export.handler", "kado.handlers.tier_lapses.handler"]


def test_admin_launches_a_member_wins_a_voucher_and_the_till_redeems_it(instance):
    program = new_program()
    admin_claims = {"sub": "marketing", "program": program, "role": "admin"}
    admin = instance("AdminApiFunction")
    assert admin.started["pyc_in_bundle"], "the bundle ships compiled bytecode"
    assert call(admin, ADMIN, admin_claims, PRODUCT)["upsertVoucherProduct"]["errors"] == []
    assert call(admin, ADMIN, admin_claims, MERCHANT)["upsertMerchant"]["errors"] == []
    wheel = campaign_input("sure-win", [{"id": "coffee", "name": "Coffee", "kind": "VOUCHER",
                                         "weight": 1, "stock": 5, "productId": "coffee"}],
                           "Europe/Vienna")
    saved = call(admin, ADMIN, admin_claims, CAMPAIGN, {"i": wheel})["upsertCampaign"]
    assert saved == {"campaign": {"id": "sure-win", "status": "DRAFT"}, "errors": []}
    launched = call(admin, ADMIN, admin_claims, LAUNCH, {"id": "sure-win"})["launchCampaign"]
    assert launched["campaign"]["status"] == "LIVE"
    assert len(launched["campaign"]["serverSeedHash"]) == 64

    member = instance("MemberApiFunction")
    alice = {"sub": "alice", "program": program}
    spin = call(member, "/member/graphql", alice, SPIN,
                {"i": {"campaignId": "sure-win", "idempotencyKey": "bundle-spin-0001"}})["spin"]
    assert spin["errors"] == [] and spin["spin"]["won"] and spin["spin"]["outcome"] == "WON"
    vouchers = call(member, "/member/graphql", alice, MINE)["myVouchers"]["nodes"]
    assert [(v["id"], v["status"], v["balance"]) for v in vouchers] == [
        (spin["spin"]["voucherId"], "ACTIVE", 500)]

    till = instance("MerchantApiFunction")
    cafe = {"sub": "cafe", "program": program, "role": "merchant"}
    redeem = {"i": {"code": vouchers[0]["code"], "idempotencyKey": "bundle-redeem-01"}}
    first = call(till, "/merchant/graphql", cafe, REDEEM, redeem)["redeemVoucher"]
    assert first["errors"] == [] and first["redemption"]["remainingBalance"] == 0
    again = call(till, "/merchant/graphql", cafe, REDEEM,
                 {"i": {**redeem["i"], "idempotencyKey": "bundle-redeem-02"}})["redeemVoucher"]
    assert again["errors"] == [{"code": "ALREADY_REDEEMED"}]
    assert call(member, "/member/graphql", alice, MINE)["myVouchers"]["nodes"][0][
        "status"] == "REDEEMED"


def test_prod_settings_hold_in_the_bundle(instance):
    """Introspection is off and tokens for another API are refused, as deployed."""
    member = instance("MemberApiFunction")
    alice = {"sub": "alice", "program": new_program()}
    answer = member.invoke(graphql_event("/member/graphql", "{ __schema { types { name } } }",
                                         alice))["response"]
    assert answer["statusCode"] == 200
    assert "introspection" in json.loads(answer["body"])["errors"][0]["message"].lower()
    refused = member.invoke(graphql_event("/member/graphql", "{ me { id } }",
                                          {**alice, "role": "admin"}))["response"]
    assert refused["statusCode"] == 403
    typo = member.invoke(graphql_event("/member/graphql", "{ myVouchers { nodez { id } } }",
                                       alice))["response"]
    message = json.loads(typo["body"])["errors"][0]["message"]
    assert "nodez" in message and "Did you mean" not in message  # no schema hints in prod


def test_no_code_and_no_query_text_reach_the_logs_in_prod(instance):
    """A code typed inline or passed as a variable, in requests that fail validation,
    coercion or a resolver, never appears in what the function logs."""
    till = instance("MerchantApiFunction")
    cafe = {"sub": "cafe", "program": new_program(), "role": "merchant"}
    code = "7KQ2M9XD4R1TZB8WJ"
    requests = [
        (f'{{ checkVoucher(cod: "{code}") {{ redeemable }} }}', None),  # unknown argument
        (f'{{ checkVoucher(code: "{code}") {{ nope }} }}', None),  # unknown field
        (REDEEM, {"i": {"code": code, "amount": "ten"}}),  # variable coercion
        (REDEEM, {"i": {"code": code, "idempotencyKey": "logs-test-0001"}}),  # refused
    ]
    for query, variables in requests:
        answer = till.invoke(graphql_event("/merchant/graphql", query, cafe, variables))
        assert answer["response"]["statusCode"] == 200
    till.close()
    logged = "".join(till.logs)
    assert "ColdStart" in logged  # the function's output was captured
    assert code not in logged and code.lower() not in logged
    assert "checkVoucher" not in logged and "redeemVoucher" not in logged


def test_the_activity_queue_function_records_from_the_bundle(instance):
    ingest = instance("ActivityIngestFunction")
    program = new_program()
    assert call(instance("AdminApiFunction"), ADMIN, {"sub": "erp", "program": program,
                                                      "role": "admin"}, ENROL)[
        "upsertLoyaltySettings"]["errors"] == []
    at = "2026-11-20T10:00:00+00:00"
    good = {"externalId": "ERP-1", "memberId": "alice", "type": "SURVEY_COMPLETED",
            "occurredAt": at}
    answer = ingest.invoke(sqs_event([activity_message(program, good), "poison"]))
    assert answer["response"] == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}
    again = ingest.invoke(sqs_event([activity_message(program, good)]))
    assert again["response"] == {"batchItemFailures": []}


def created_through_the_admin_api(instance) -> str:
    """A new program: its first admin request registers it, no deploy parameter names it."""
    program = new_program()
    marketing = {"sub": "marketing", "program": program, "role": "admin"}
    made = call(instance("AdminApiFunction"), ADMIN, marketing,
                'mutation { upsertAccount(input: {id: "acme", name: "Acme"}) '
                '{ errors { code } } }')
    assert made["upsertAccount"]["errors"] == []
    return program


# What the schedule sends: nothing names a program.
SCHEDULED = {"version": "0", "source": "aws.events", "detail-type": "Scheduled Event",
             "detail": {}}


def test_the_tier_tidy_up_serves_a_program_made_through_the_admin_api(instance):
    program = created_through_the_admin_api(instance)
    answer = instance("TierLapseFunction").invoke(SCHEDULED)
    assert answer["response"][program] == 0  # no ladder yet: nothing to write


def test_the_statement_export_function_runs_from_the_bundle(instance):
    exporter = instance("StatementExportFunction")
    answer = exporter.invoke(sqs_event([json.dumps({"program": new_program(),
                                                    "job": "no-such-job"})]))
    assert answer["response"] is None  # a job that is not on file is nothing to do


def test_the_event_timers_serve_a_program_made_through_the_admin_api(instance):
    program = created_through_the_admin_api(instance)
    answer = instance("EventTimerFunction").invoke(SCHEDULED)
    assert answer["response"][program] == {"offersPassedOn": 0, "reminded": 0,
                                           "referralsSettled": 0}


def _facts_queue(endpoint, name):
    """The bus the publisher sends to, with a rule that copies every fact to a queue."""
    session = get_session()
    events = session.create_client("events", region_name="us-east-1", endpoint_url=endpoint)
    sqs = session.create_client("sqs", region_name="us-east-1", endpoint_url=endpoint)
    if not any(b["Name"] == "kado-bundle" for b in events.list_event_buses()["EventBuses"]):
        events.create_event_bus(Name="kado-bundle")
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    events.put_rule(Name=name, EventBusName="kado-bundle",
                    EventPattern=json.dumps({"source": ["kado"]}))
    events.put_targets(Rule=name, EventBusName="kado-bundle",
                       Targets=[{"Id": "q", "Arn": arn}])
    return sqs, queue


def test_the_outbox_publisher_sends_facts_from_the_bundle(instance, secrets_endpoint):
    sqs, queue = _facts_queue(secrets_endpoint, "bundle-facts")
    program = new_program()
    confirmed = {"pk": f"P#{program}#EV#gala#R#3", "sk": "M#alice", "type": "REGISTRATION",
                 "eventId": "gala", "memberId": "alice", "status": "CONFIRMED",
                 "acceptedAt": "2026-11-24T10:00:00.000Z", "ticket": "t"}
    publisher = instance("OutboxPublisherFunction")
    answer = publisher.invoke({"Records": [stream_record(7, None, confirmed)]})
    assert answer["response"] == {"batchItemFailures": []}, publisher.logs
    [message] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(message["Body"])
    assert (body["detail-type"], body["detail"]["memberId"], body["detail"]["program"]) == (
        "RegistrationConfirmed", "alice", program)


def paid_wheel(admin, claims, budget, budget_id, cost):
    """A budget set up and a LIVE campaign "paid" whose every spin wins a prize costing
    `cost` from it, through the admin API."""
    assert call(admin, ADMIN, claims, budget)["createBudget"]["errors"] == []
    wheel = campaign_input("paid", [{"id": "tv", "name": "TV", "kind": "ITEM", "weight": 1,
                                     "cost": cost}])
    assert call(admin, ADMIN, claims, CAMPAIGN, {"i": {
        **wheel, "budgets": [{"budgetId": budget_id}]}})["upsertCampaign"]["errors"] == []
    assert call(admin, ADMIN, claims, LAUNCH, {"id": "paid"})["launchCampaign"][
        "errors"] == []


BUDGET = """mutation { createBudget(input: {id: "flash", name: "Flash", currency: "VND",
  amount: 20000, shards: 2}) { errors { code } } }"""


def test_a_budget_pays_a_win_refuses_the_next_and_its_threshold_is_a_fact(
        instance, secrets_endpoint):
    """Admin, member API and publisher, each as its template allows: a budget set up, a win
    debited in the spin's transaction, the next spin a no-win after reading the shards,
    the thresholds marked by the publisher's watcher and sent as one fact each."""
    sqs, queue = _facts_queue(secrets_endpoint, "bundle-budget-facts")
    program = new_program()
    admin_claims = {"sub": "marketing", "program": program, "role": "admin"}
    admin = instance("AdminApiFunction")
    paid_wheel(admin, admin_claims, BUDGET, "flash", 20000)
    member = instance("MemberApiFunction")
    played = [call(member, "/member/graphql", {"sub": who, "program": program}, SPIN, {
        "i": {"campaignId": "paid", "idempotencyKey": f"budget-spin-{who}"}})["spin"]["spin"][
        "outcome"] for who in ("ann", "ben")]
    assert played == ["WON", "OUT_OF_BUDGET"]
    publisher = instance("OutboxPublisherFunction")
    shard = {"pk": f"P#{program}#BUDGET#flash#LIFETIME#0", "sk": "LEFT",
             "type": "BUDGET_SHARD", "budgetId": "flash", "period": "LIFETIME"}
    answer = publisher.invoke({"Records": [stream_record(
        11, {**shard, "spent": 0}, {**shard, "spent": 20000})]})
    assert answer["response"] == {"batchItemFailures": []}, publisher.logs
    reached = {"pk": f"P#{program}#BALERT#flash", "sk": "LIFETIME#100",
               "type": "BUDGET_ALERT", "budgetId": "flash", "period": "LIFETIME",
               "percent": 100, "spent": 20000, "amount": 20000,
               "at": "2026-12-05T10:00:00.000Z"}
    answer = publisher.invoke({"Records": [stream_record(12, None, reached)]})
    assert answer["response"] == {"batchItemFailures": []}, publisher.logs
    [message] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(message["Body"])
    assert (body["detail-type"], body["detail"]["budgetId"], body["detail"]["percent"]) == (
        "BudgetThresholdReached", "flash", 100)
    thresholds = call(admin, ADMIN, admin_claims, "{ budgets { alerts { percent } } }")
    assert thresholds == {"budgets": [{"alerts": [{"percent": 50}, {"percent": 80},
                                                  {"percent": 100}]}]}
