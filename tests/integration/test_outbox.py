"""The outbox publisher on stream records, into EventBridge (moto) and out to a queue."""

from __future__ import annotations

import json

import pytest
from botocore.session import get_session

from kado.handlers import outbox_publisher
from kado.local.apigw import LambdaContext
from kado.local.streams import stream_record
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.events import registrations
from kado.services.kernel import outbox
from kado.services.vouchers import catalogue as voucher_admin
from kado.store import events as event_store
from kado.store.campaigns import spins as spin_store
from kado.store.kernel.reads import get_one
from kado.store.vouchers import issued as voucher_store
from tests import support
from tests.scenarios.event_scenarios import fresh_instance, now, published, register  # noqa: F401
from tests.support import key, member

BUS = "kado-test"


@pytest.fixture
def clock(request):
    """The event scenarios' fake clock."""
    return request.getfixturevalue("now")


def publish(records):
    return outbox_publisher.handler({"Records": records}, LambdaContext())


@pytest.fixture
def delivered(monkeypatch):
    """An event bus whose every fact lands on a queue; returns a reader of the queue."""
    events = get_session().create_client("events", region_name="us-east-1")
    sqs = get_session().create_client("sqs", region_name="us-east-1")
    events.create_event_bus(Name=BUS)
    queue = sqs.create_queue(QueueName="facts")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventBusName=BUS, EventPattern=json.dumps({"source": ["kado"]}))
    events.put_targets(Rule="all", EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])
    monkeypatch.setenv("KADO_EVENT_BUS", BUS)
    monkeypatch.setattr(outbox, "_events", None)

    def read():
        got = []
        while True:
            batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get(
                "Messages", [])
            if not batch:
                return got
            for message in batch:
                body = json.loads(message["Body"])
                got.append((body["detail-type"], body["detail"]))
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])

    return read


def _item(program, member_id):
    return get_one(event_store.registration_key(program, "dealer-night", member_id))


def _seat_changes(program, clock):
    """Stream records of: ann confirmed, bob waitlisted, ann cancels and bob is promoted,
    with a seat-shard change (which carries no fact) among them."""
    register(program, "ann")
    ann_1 = _item(program, "ann")
    clock["at"] = clock["at"].replace(second=1)
    register(program, "bob")
    bob_1 = _item(program, "bob")
    registrations.cancel(member(program, "ann"), "dealer-night")
    seat = {"pk": "P#x#EV#dealer-night#SEATS#0", "sk": "SEATS", "type": "EVENT_SEATS",
            "left": 0}
    return [stream_record(1, None, ann_1), stream_record(2, None, bob_1),
            stream_record(3, seat, {**seat, "left": 1}),
            stream_record(4, ann_1, _item(program, "ann")),
            stream_record(5, bob_1, _item(program, "bob"))]


def test_registration_changes_become_facts_in_order_and_once(delivered, clock):
    program, _ = published(capacity=1)
    records = _seat_changes(program, clock)
    assert publish(records) == {"batchItemFailures": []}
    facts = delivered()
    assert [(kind, d["memberId"]) for kind, d in facts] == [
        ("RegistrationConfirmed", "ann"), ("Waitlisted", "bob"), ("Cancelled", "ann"),
        ("Promoted", "bob")]
    assert {d["program"] for _, d in facts} == {program}
    assert facts[2][1]["reason"] == "cancelled by the member"
    assert [d["id"] for _, d in facts] == ["rec-1", "rec-2", "rec-4", "rec-5"]
    # Lambda delivers the batch again (a retry): nothing is published twice.
    assert publish(records) == {"batchItemFailures": []}
    assert delivered() == []


def test_a_record_that_cannot_be_sent_stops_the_batch_there(delivered, clock, monkeypatch):
    program, _ = published(capacity=1)
    records = _seat_changes(program, clock)
    real_send = outbox.send
    calls = {"n": 0}

    def flaky(facts, bus):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("EventBridge throttled")
        real_send(facts, bus)

    monkeypatch.setattr(outbox, "send", flaky)
    answer = publish(records)
    assert answer == {"batchItemFailures": [{"itemIdentifier": f"{2:021d}"}]}
    assert [kind for kind, _ in delivered()] == ["RegistrationConfirmed"]
    # Lambda retries from the failed record on: the rest follow, in order, once.
    assert publish(records[1:]) == {
        "batchItemFailures": []}
    assert [kind for kind, _ in delivered()] == ["Waitlisted", "Cancelled", "Promoted"]


def test_spins_and_vouchers_are_facts_too(delivered):
    program = support.new_program()
    voucher_admin.upsert_product(program, support.product("coffee", value=500))
    campaigns.upsert(program, support.campaign("wheel", prizes=support.voucher_prize("coffee")))
    campaigns.launch(program, "wheel")
    spin = spins.play(member(program), "wheel", key())
    spin_item = spin_store.get(program, "alice", spin.idempotency_key)
    [voucher] = voucher_store.list_for_member(program, "alice", 10, None).items
    redeemed = {**voucher, "balance": 0}
    records = [stream_record(1, None, spin_item), stream_record(2, None, voucher),
               stream_record(3, voucher, redeemed),
               stream_record(4, redeemed, {**redeemed, "balance": 500})]
    publish(records)
    facts = delivered()
    assert [(kind, d.get("amount")) for kind, d in facts] == [
        ("SpinPlayed", None), ("SpinWon", None), ("VoucherIssued", None),
        ("VoucherRedeemed", 500), ("RedemptionReversed", 500)]
    assert (facts[0][1]["won"], facts[0][1]["outcome"]) == (True, "WON")
    assert facts[1][1]["voucherId"] == facts[2][1]["voucherId"] == spin.voucher_id


def test_a_reminder_mark_is_an_event_reminder_fact(delivered, clock):
    program, _ = published(capacity=1)
    register(program, "ann")
    confirmed = _item(program, "ann")
    reminded = {**confirmed, "remindedAt": "2027-01-19T17:00:00.000Z"}
    publish([stream_record(1, confirmed, reminded),
             stream_record(2, reminded, {**reminded, "promotedAt": "x"})])  # no new fact
    [(kind, detail)] = delivered()
    assert (kind, detail["occurredAt"], detail["eventId"]) == (
        "EventReminder", "2027-01-19T17:00:00.000Z", "dealer-night")
