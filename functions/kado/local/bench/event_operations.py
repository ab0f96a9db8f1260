"""What the benchmark measures of events: registering, cancelling with a promotion, the
door's check-in, and which item a flash opening writes most."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

from kado.domain.calendar import utcnow
from kado.domain.events.rules import FLASH_REGISTRATIONS_PER_S, Event, EventStatus
from kado.domain.principal import Principal, Role
from kado.domain.shards import ITEM_TRANSACT_WRITES_PER_S
from kado.local.bench.hot_keys import written_keys
from kado.local.bench.measure import Operation, Request
from kado.local.bench.operations import MEMBER_PATH, MERCHANT_PATH, PROGRAM, TILL
from kado.local.meter import Meter
from kado.services.events import check_in, registrations
from kado.services.events import definitions as events
from kado.store import events as event_store
from kado.store.kernel.client import dynamodb

REGISTER = """mutation($i: RegisterInput!) { registerForEvent(input: $i) {
  registration { status position } errors { code } } }"""
EVENTS_PAGE = """{ events(first: 20) { nodes { id seatsLeft waitlistLength
  left: seatsLeft waiting: waitlistLength } } }"""
CANCEL = """mutation($i: EventRefInput!) { cancelRegistration(input: $i) {
  registration { status } errors { code } } }"""
CHECK_IN = """mutation($i: CheckInInput!) { checkIn(input: $i) {
  checkIn { memberId checkedInAt } errors { code } } }"""


def _event(event_id: str, capacity: int) -> None:
    now = utcnow()
    events.upsert(PROGRAM, Event(
        id=event_id, name=event_id, venue="bench-hall", starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=5), timezone="UTC",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(hours=1), capacity=capacity))
    events.move(PROGRAM, event_id, EventStatus.PUBLISHED)


def _register(event_id: str, member_id: str) -> None:
    registrations.register(Principal(Role.MEMBER, PROGRAM, member_id), event_id,
                           f"seed-{event_id}-{member_id}")


def seed(per_op: int) -> list[str]:
    """Events for each operation; returns the door's tickets, one per iteration."""
    _event("bench-gala", per_op + 10)
    _event("bench-full", 1)
    _register("bench-full", "full-holder")
    _event("bench-swap", per_op)
    _event("bench-door", per_op)
    for i in range(per_op):
        _register("bench-swap", f"swap-seated-{i}")
        _register("bench-door", f"door-{i}")
    for i in range(per_op + 5):
        _register("bench-swap", f"swap-waiting-{i}")
    tickets = []
    for i in range(per_op):
        item = event_store.get_registration(PROGRAM, "bench-door", f"door-{i}") or {}
        tickets.append(check_in.ticket_payload(PROGRAM, "bench-door", f"door-{i}",
                                               item["ticket"]))
    return tickets


def operations(handlers: dict[str, Any], tickets: list[str]) -> list[Operation]:
    member, merchant = handlers["member"], handlers["merchant"]

    def who(member_id: str) -> dict[str, Any]:
        return {"sub": member_id, "program": PROGRAM}

    return [
        Operation("events_page_with_availability", member, MEMBER_PATH,
                  lambda i: Request(EVENTS_PAGE, {}, who(f"browser-{i}")),
                  note="seatsLeft and waitlistLength (and an alias of each) of every event "
                       "on the page: each event's availability is read once per request"),
        Operation("register_for_event", member, MEMBER_PATH,
                  lambda i: Request(REGISTER, {"i": {"eventId": "bench-gala",
                                                     "idempotencyKey": f"bench-reg-{i:06d}"}},
                                    who(f"gala-{i}")),
                  note="a seat on one of the event's shards, in one transaction"),
        Operation("register_for_event_waitlisted", member, MEMBER_PATH,
                  lambda i: Request(REGISTER, {"i": {"eventId": "bench-full",
                                                     "idempotencyKey": f"bench-wait-{i:06d}"}},
                                    who(f"late-{i}")),
                  note="the shard refuses; the seats are read, then the place in line is "
                       "written, the seats looked at again and the position counted on the "
                       "8 waitlist partitions at once", parallel=8),
        Operation("cancel_registration_with_promotion", member, MEMBER_PATH,
                  lambda i: Request(CANCEL, {"i": {"eventId": "bench-swap"}},
                                    who(f"swap-seated-{i}")),
                  note="the registration read, the head of the line found on the 8 "
                       "partitions at once, then one transaction hands the seat over",
                  parallel=8),
        Operation("check_in", merchant, MERCHANT_PATH,
                  lambda i: Request(CHECK_IN, {"i": {
                      "eventId": "bench-door", "qr": tickets[i],
                      "idempotencyKey": f"bench-door-{i:06d}"}}, TILL),
                  note="the registration read, its move to CHECKED_IN, then the "
                       "EVENT_ATTENDED activity"),
    ]


def _pattern(key: str) -> str:
    key = re.sub(r"M#[^#| ]+", "M#<member>", key)
    return re.sub(r"\| \S+#flash-\d+", "| <acceptedAt>#<member>", key)


def flash_opening(registration_count: int) -> dict[str, Any]:
    """`registration_count` members register for one event of 50 seats, one after another;
    every item a registration writes or checks is counted, then scaled to a flash opening
    of FLASH_REGISTRATIONS_PER_S."""
    _event("flash-night", 50)
    writes: Counter[str] = Counter()
    with Meter(dynamodb()) as meter:
        for i in range(registration_count):
            _register("flash-night", f"flash-{i}")
            for call in meter.reset():
                writes.update(written_keys(call.params))
    scale = FLASH_REGISTRATIONS_PER_S / registration_count
    busiest = [{"item": _pattern(k), "writes_in_run": n, "writes_per_s": round(n * scale, 1)}
               for k, n in writes.most_common(5)]
    return {"registrations": registration_count,
            "flash_registrations_per_s": FLASH_REGISTRATIONS_PER_S,
            "method": f"each item's share of the writes of {registration_count} registrations "
                      f"(50 seats, the rest waitlisted) times {FLASH_REGISTRATIONS_PER_S}/s",
            "max_item_writes_per_s": busiest[0]["writes_per_s"], "max_item": busiest[0]["item"],
            "busiest": busiest, "goal_per_s": ITEM_TRANSACT_WRITES_PER_S}
