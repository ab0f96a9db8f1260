"""The activity queue's handler on DynamoDB Local: a poison message fails alone."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.handlers import activity_ingest
from kado.local.apigw import LambdaContext
from kado.local.sqs import activity_message, sqs_event
from kado.store import activities as activity_store
from tests.scenarios.points_scenarios import ledger, loyal_program

AT = datetime.now(UTC).isoformat()


def _purchase(external_id, euros=10):
    return {"externalId": external_id, "memberId": "alice", "type": "PURCHASE",
            "occurredAt": AT,
            "amount": {"value": euros * 100, "currency": "EUR"}}


def test_a_batch_records_every_good_message_and_reports_only_the_poison():
    program = loyal_program(ladder=None)
    bodies = [activity_message(program, _purchase("Q-1")),
              "{not json",
              activity_message(program, _purchase("Q-2", 20)),
              activity_message(program, {**_purchase("Q-1"), "amount": None}),  # CONFLICT
              activity_message(program, _purchase("Q-1")),  # a redelivery: DUPLICATE
              activity_message(program, {"externalId": "Q-3", "memberId": "alice"})]
    answer = activity_ingest.handler(sqs_event(bodies), LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "msg-1"},
                                            {"itemIdentifier": "msg-3"},
                                            {"itemIdentifier": "msg-5"}]}
    assert [(e["sourceRef"], e["balanceAfter"]) for e in ledger(program)] == [
        ("Q-1", 10), ("Q-2", 30)]
    assert activity_store.get_activity(program, "Q-3") is None
