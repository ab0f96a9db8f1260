"""Events, their seats, registrations and the waitlist.

  event         the definition and its status (GSI1: the program's events)
  seats         the seats left, split over shards; each carries `halted` while the event
                is not open, so no instance registers on a cached status
  registration  one per event and member, in one of 8 partitions by member; its `status`
                is the condition of every move (GSI1: the member's registrations)
  waitlist      one item per waiting member, in one of 8 partitions by member, sorted by
                acceptance (`<acceptedAt>#<member>`); read strongly consistent
  account       the company's active registrations, with the event's limit as condition
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kado.domain.events.rules import WAITLIST_SHARDS, Event, RegistrationStatus
from kado.domain.shards import split_stock, stable_shard
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import every_shard, get_many, get_one, query_pages
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

LEFT, HALTED, STATUS = "left", "halted", "status"
WAITING = "waiting"  # on the waitlist count items
CHECKED_IN = "checkedIn"  # on the seat shards: members through the door
REOPENABLE = (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED,
              RegistrationStatus.OFFER_EXPIRED)


def shard_of(member_id: str) -> int:
    """The registration and waitlist partition of a member (fixed, so it can be found)."""
    return stable_shard(member_id, WAITLIST_SHARDS)


def registration_key(program: str, event_id: str, member_id: str) -> dict[str, Any]:
    return keys.registration(program, event_id, shard_of(member_id), member_id)


def put_event(program: str, values: dict[str, Any], expected_status: str | None) -> None:
    item = {**keys.event(program, values["id"]), **codec.dump({
        **values, "type": "EVENT", GSI1_PK: keys.events_index(program),
        GSI1_SK: f"{values['startsAt']}#{values['id']}"})}
    if expected_status is None:
        condition, expr = "attribute_not_exists(pk)", {}
    else:
        condition = "#s = :was"
        expr = {"names": {"#s": STATUS}, "values": {":was": {"S": expected_status}}}
    transact.write({"event": transact.put(item, condition, **expr)})


def get_event(program: str, event_id: str) -> dict[str, Any] | None:
    return get_one(keys.event(program, event_id))


def events_page(program: str, first: int, after: str | None,
                keep: Any = lambda _: True) -> Page:
    return query_index(keys.events_index(program), first, after, keep=keep, newest_first=False)


def status_parts(program: str, event: Event, to: str, first_publish: bool
                 ) -> dict[str, dict[str, Any]]:
    """Move the event to `to` from its status, opening or halting every seat shard with it;
    the first publish creates the shards with the capacity split over them."""
    parts = {"event": transact.update(
        keys.event(program, event.id), "SET #s = :to", "#s = :was",
        names={"#s": STATUS}, values={":to": {"S": to}, ":was": {"S": event.status.value}})}
    seats = split_stock(event.capacity, event.seat_shards())
    for shard in range(event.seat_shards()):
        key = keys.event_seats(program, event.id, shard)
        if first_publish:
            parts[f"seats:{shard}"] = transact.put({**key, **codec.dump(
                {"type": "EVENT_SEATS", LEFT: seats[shard]})}, "attribute_not_exists(pk)")
        elif to == "PUBLISHED":
            parts[f"seats:{shard}"] = transact.update(key, "REMOVE #h", names={"#h": HALTED})
        else:
            parts[f"seats:{shard}"] = transact.update(key, "SET #h = :to", names={"#h": HALTED},
                                                      values={":to": {"S": to}})
    return parts


def seats(program: str, event: Event) -> list[dict[str, Any]]:
    """Every seat shard (strongly consistent), in shard order."""
    wanted = [keys.event_seats(program, event.id, i) for i in range(event.seat_shards())]
    return [item or {} for item in get_many(wanted)]


def seats_at_once(program: str, event: Event) -> list[dict[str, Any]]:
    """Every seat shard in one serializable read (TransactGetItems): the seats as they stood
    at one moment, whatever moved between the shards' reads otherwise."""
    wanted = [{"Get": {"TableName": table(), "Key": keys.event_seats(program, event.id, i)}}
              for i in range(event.seat_shards())]
    found = dynamodb().transact_get_items(TransactItems=wanted)["Responses"]
    return [codec.load(r.get("Item")) or {} for r in found]


def take_seat_part(program: str, event_id: str, shard: int) -> dict[str, Any]:
    return transact.update(keys.event_seats(program, event_id, shard), "SET #l = #l - :one",
                           "#l > :zero AND attribute_not_exists(#h)",
                           names={"#l": LEFT, "#h": HALTED},
                           values={":one": {"N": "1"}, ":zero": {"N": "0"}})


def open_check_part(program: str, event_id: str, shard: int) -> dict[str, Any]:
    """The event is open for registrations (a waitlisted one takes no seat)."""
    return transact.check(keys.event_seats(program, event_id, shard),
                          "attribute_exists(pk) AND attribute_not_exists(#h)",
                          names={"#h": HALTED})


def return_seat_part(program: str, event_id: str, shard: int) -> dict[str, Any]:
    return transact.update(keys.event_seats(program, event_id, shard), "ADD #l :one",
                           names={"#l": LEFT}, values={":one": {"N": "1"}})


def checked_in_part(program: str, event_id: str, shard: int) -> dict[str, Any]:
    """One more member through the door, counted on a seat shard (summed when read)."""
    return transact.update(keys.event_seats(program, event_id, shard), "ADD #c :one",
                           names={"#c": CHECKED_IN}, values={":one": {"N": "1"}})


def put_registration_part(program: str, event_id: str, member_id: str,
                          values: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    """A new registration, or one in place of an ended one (cancelled, declined, lapsed)
    unless that one was made with this same idempotency key (then it is the answer)."""
    item = {**registration_key(program, event_id, member_id), **codec.dump({
        **values, "type": "REGISTRATION", "eventId": event_id, "memberId": member_id,
        GSI1_PK: keys.member_registrations_index(program, member_id),
        GSI1_SK: f"{values['acceptedAt']}#{event_id}"})}
    ended = {f":e{i}": {"S": s.value} for i, s in enumerate(REOPENABLE)}
    return transact.put(
        item, f"attribute_not_exists(pk) OR (#s IN ({', '.join(ended)}) AND #k <> :key)",
        names={"#s": STATUS, "#k": "idempotencyKey"},
        values={**ended, ":key": {"S": idempotency_key}})


def move_registration_part(program: str, event_id: str, member_id: str, was: str,
                           sets: dict[str, Any], removes: tuple[str, ...] = (),
                           also: dict[str, Any] | None = None,
                           absent: tuple[str, ...] = ()) -> dict[str, Any]:
    """Move a registration on from status `was`, setting `sets`, on the condition that it
    is still in `was` (and still holds the values in `also`: the same one, not a new one;
    and has none of `absent`)."""
    held = also or {}
    expression, names, values = transact.assignments(sets, removes)
    names |= {"#s": STATUS, **{f"#a{i}": name for i, name in enumerate(held)},
              **{f"#n{i}": name for i, name in enumerate(absent)}}
    values |= {":was": {"S": was},
               **{f":a{i}": codec.dump_value(value) for i, value in enumerate(held.values())}}
    condition = " AND ".join(["#s = :was", *(f"#a{i} = :a{i}" for i in range(len(held))),
                              *(f"attribute_not_exists(#n{i})" for i in range(len(absent)))])
    return transact.update(registration_key(program, event_id, member_id), expression,
                           condition, names=names, values=values)


def get_registration(program: str, event_id: str, member_id: str) -> dict[str, Any] | None:
    return get_one(registration_key(program, event_id, member_id))


def waitlist_join_parts(program: str, event_id: str, member_id: str, order: str,
                        name: str = "waiting") -> dict[str, dict[str, Any]]:
    """A waiting member's entry, and one more on its shard's count."""
    shard = shard_of(member_id)
    return {name: transact.put({**keys.waitlist_entry(program, event_id, shard, order),
                                **codec.dump({"type": "WAITING", "memberId": member_id})},
                               "attribute_not_exists(pk)"),
            f"{name}Count": _count_part(program, event_id, shard, 1)}


def waitlist_leave_parts(program: str, event_id: str, member_id: str, order: str,
                         name: str = "leaving") -> dict[str, dict[str, Any]]:
    """Remove a waiting member's entry, on the condition that it is still there, and one
    fewer on its shard's count."""
    shard = shard_of(member_id)
    return {name: {"Delete": {"TableName": table(), "Key": keys.waitlist_entry(
        program, event_id, shard, order), "ConditionExpression": "attribute_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        f"{name}Count": _count_part(program, event_id, shard, -1)}


def _count_part(program: str, event_id: str, shard: int, delta: int) -> dict[str, Any]:
    return transact.update(keys.waitlist_count(program, event_id, shard), "ADD #n :d",
                           names={"#n": WAITING}, values={":d": {"N": str(delta)}})


def waiting_counts(program: str, events: list[Event]) -> dict[str, int]:
    """How many wait for each event, from every shard's count, in as few batch reads as
    the keys need (100 a batch)."""
    return {event_id: sum(int(item.get(WAITING, 0)) for item in items)
            for event_id, items in _per_event(events, lambda e: [
                keys.waitlist_count(program, e.id, s) for s in range(WAITLIST_SHARDS)]).items()}


def seats_of_events(program: str, events: list[Event]) -> dict[str, list[dict[str, Any]]]:
    """Every seat shard of each event, in one batch read for the page (consistent)."""
    return _per_event(events, lambda e: [keys.event_seats(program, e.id, i)
                                         for i in range(e.seat_shards())])


def _per_event(events: list[Event], keys_of: Callable[[Event], list[dict[str, Any]]]
               ) -> dict[str, list[dict[str, Any]]]:
    """The items each event names, read for all the events together (missing ones empty)."""
    wanted = [(e.id, k) for e in events for k in keys_of(e)]
    found: dict[str, list[dict[str, Any]]] = {e.id: [] for e in events}
    for (event_id, _), item in zip(wanted, get_many([k for _, k in wanted]), strict=True):
        found[event_id].append(item or {})
    return found


def account_part(program: str, event_id: str, account_id: str, delta: int,
                 limit: int | None) -> dict[str, Any]:
    """One more (below the limit) or one fewer active registration of a company."""
    values = {":d": {"N": str(delta)}}
    condition = None
    if delta > 0 and limit is not None:
        condition = "attribute_not_exists(#n) OR #n < :limit"
        values[":limit"] = {"N": str(limit)}
    return transact.update(keys.event_account(program, event_id, account_id), "ADD #n :d",
                           condition, names={"#n": "active"}, values=values)


def _partition_query(partition: str, before: str | None = None, limit: int | None = None,
                     count: bool = False) -> dict[str, Any]:
    """A strongly consistent Query of one partition (sort keys below `before`, if given)."""
    request: dict[str, Any] = {"TableName": table(), "ConsistentRead": True,
                               "KeyConditionExpression": "pk = :pk",
                               "ExpressionAttributeValues": {":pk": {"S": partition}}}
    if before is not None:
        request["KeyConditionExpression"] += " AND sk < :before"
        request["ExpressionAttributeValues"][":before"] = {"S": before}
    if limit:
        request["Limit"] = limit
    if count:
        request["Select"] = "COUNT"
    return request


def waiting_ahead(program: str, event_id: str, order: str | None) -> int:
    """How many wait before `order` (None: how many wait), counted on every shard."""
    def count(shard: int) -> int:
        request = _partition_query(keys.waitlist(program, event_id, shard), order, count=True)
        return sum(int(page.get("Count", 0)) for page in query_pages(request))

    return sum(every_shard(WAITLIST_SHARDS, count))


def first_waiting(program: str, event_id: str) -> dict[str, Any] | None:
    """The waiting entry first in line: the least of every shard's first."""
    def head(shard: int) -> dict[str, Any] | None:
        found = dynamodb().query(**_partition_query(keys.waitlist(program, event_id, shard),
                                                    limit=1)).get("Items", [])
        return {**(codec.load(found[0]) or {}), "order": found[0]["sk"]["S"]} if found else None

    heads = [h for h in every_shard(WAITLIST_SHARDS, head) if h is not None]
    return min(heads, key=lambda h: h["order"]) if heads else None


def registrations_of(program: str, event_id: str) -> Iterator[dict[str, Any]]:
    """Every registration of an event, partition by partition."""
    for shard in range(WAITLIST_SHARDS):
        request = _partition_query(keys.registrations(program, event_id, shard))
        for page in query_pages(request):
            for raw in page.get("Items", []):
                yield codec.load(raw) or {}


def every_event(program: str, statuses: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every event of a program in one of `statuses`, page by page."""
    return every_item(keys.events_index(program), newest_first=False,
                      keep=lambda item: item.get("type") == "EVENT" and
                      item.get("status") in statuses)


def member_registrations(program: str, member_id: str, first: int,
                         after: str | None) -> Page:
    return query_index(keys.member_registrations_index(program, member_id), first, after)
