"""Events on DynamoDB Local: the shared scenarios, and real parallel registrations."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from kado.domain.errors import DomainError
from kado.services.events import definitions as events
from kado.services.events import registrations
from kado.store import events as event_store
from kado.store.kernel import codec
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from tests.scenarios.event_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.event_scenarios import published, register
from tests.support import like_a_client, member


def _parallel(action, jobs, workers=40):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(action, jobs))


def _outcome(action):
    try:
        return action()
    except DomainError as refusal:
        return refusal.code


def _line(program):
    """Everyone waiting, first in line first."""
    waiting = [r for r in event_store.registrations_of(program, "dealer-night")
               if r["status"] == "WAITLISTED"]
    return sorted(waiting, key=lambda r: r["order"])


def test_300_parallel_registrations_for_50_seats(now):
    program, _ = published(capacity=50)
    people = [f"m{i:03d}" for i in range(300)]
    answers = dict(zip(people, _parallel(lambda who: like_a_client(
        lambda: register(program, who, idem=f"reg-{who}-0001")), people), strict=True))
    confirmed = [who for who, r in answers.items() if r.status == "CONFIRMED"]
    waitlisted = [who for who, r in answers.items() if r.status == "WAITLISTED"]
    assert (len(confirmed), len(waitlisted)) == (50, 250)
    line = _line(program)
    assert sorted(r["memberId"] for r in line) == sorted(waitlisted)
    # Positions, read now, are 1-250 in acceptance order; an answer's position was counted
    # when it was given, so a registration accepted just before it may still have landed.
    final = {r["memberId"]: i + 1 for i, r in enumerate(line)}
    assert all(registrations.with_position(program, r, now["at"]).position == final[
        r["memberId"]] for r in line)
    assert all(1 <= answers[who].position <= final[who] for who in waitlisted)
    assert events.availability(program, events.get(program, "dealer-night")) == \
        events.Availability(0, 250)


def test_20_parallel_cancellations_promote_exactly_the_first_20_in_line(now):
    program, _ = published(capacity=20)
    seated = [f"s{i:02d}" for i in range(20)]
    for who in seated:
        register(program, who)
    for i in range(30):
        now["at"] += timedelta(milliseconds=1)
        register(program, f"w{i:02d}")
    first_20 = {r["memberId"] for r in _line(program)[:20]}
    done = _parallel(lambda who: registrations.cancel(member(program, who), "dealer-night"),
                     seated, workers=20)
    assert all(r.status == "CANCELLED" for r in done)
    state = statuses(program)  # noqa: F405
    assert {who for who, s in state.items() if s == "CONFIRMED"} == first_20
    assert [r["memberId"] for r in _line(program)] == [f"w{i:02d}" for i in range(20, 30)]
    assert events.availability(program, events.get(program, "dealer-night")) == \
        events.Availability(0, 10)  # the waitlist counts moved with each promotion


def test_a_company_limit_of_2_holds_under_10_parallel_registrations(now):
    program, _ = published(capacity=50, per_account_limit=2)
    staff = [f"acme-{i}" for i in range(10)]
    outcomes = _parallel(lambda who: _outcome(lambda: register(program, who, "acme").status),
                         staff, workers=10)
    assert sorted(map(str, outcomes)) == ["ACCOUNT_LIMIT_REACHED"] * 8 + ["CONFIRMED"] * 2


def test_confirmed_never_exceeds_capacity_while_members_come_and_go(now):
    program, _ = published(capacity=10)
    stop, seen = threading.Event(), []
    people = [f"p{i:02d}" for i in range(40)]
    e = events.get(program, "dealer-night")
    wanted = [event_store.registration_key(program, e.id, who) for who in people] + \
        [keys.event_seats(program, e.id, i) for i in range(e.seat_shards())]

    def watch():
        """Serializable snapshots (TransactGetItems) of every registration and seat shard:
        seats held plus seats left is the capacity, at every moment sampled."""
        while not stop.is_set():
            found = dynamodb().transact_get_items(TransactItems=[
                {"Get": {"TableName": table(), "Key": k}} for k in wanted])["Responses"]
            items = [codec.load(f.get("Item")) or {} for f in found]
            held = sum(i.get("status") in ("CONFIRMED", "OFFERED", "CHECKED_IN")
                       for i in items[:len(people)])
            left = sum(int(i.get("left", 0)) for i in items[len(people):])
            seen.append((held, left))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        def come_and_go(who):
            register(program, who)
            if int(who[1:]) % 3 == 0:
                registrations.cancel(member(program, who), "dealer-night")

        _parallel(come_and_go, people, workers=20)
    finally:
        stop.set()
        watcher.join()
    assert len(seen) > 3 and all(held + left == 10 for held, left in seen), seen
    held = [s for s in statuses(program).values() if s == "CONFIRMED"]  # noqa: F405
    assert len(held) == 10  # every seat given up went to someone still waiting


def test_seats_read_at_once_never_show_more_held_than_the_capacity(now):
    """10 seats, 10 waiting: while 10 cancel in parallel (each seat passed to the line in
    the same transaction), every consistent read of the seats holds 0-10, never more."""
    program, e = published(capacity=10)
    for i in range(20):
        register(program, f"m{i}")
        now["at"] += timedelta(seconds=1)
    stop, seen = threading.Event(), []

    def watch():
        while not stop.is_set():
            seen.append(events.seats_now(program, e).held)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _parallel(lambda i: _outcome(lambda: registrations.cancel(member(program, f"m{i}"),
                                                              "dealer-night")), range(10))
    stop.set()
    watcher.join()
    assert seen and all(0 <= held <= 10 for held in seen), seen
    assert events.seats_now(program, e).held == 10  # the line took every seat given up
