"""Activities from partner systems: what happened, to whom, and when.

An activity is recorded once, by its `externalId`. Its fingerprint (a hash of the
content that matters) tells a harmless resend (DUPLICATE) from the same id reused for
something else (CONFLICT), which is refused and never overwrites the first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kado.domain.bounds import MAX_INT
from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, is_id

MAX_BATCH = 100
MAX_TAGS = 20
MAX_ATTRIBUTES = 20
# Minor units. An activity reaches Kado from files and queues too, not only as a GraphQL
# Int; what it stores is answered as one (domain/bounds): 2,147,483,647 VND is the most
# one purchase line can say (a larger order is sent as several lines).
MAX_AMOUNT = MAX_INT
# A partner clock may run a little ahead; anything further is a mistake.
FUTURE_SKEW = timedelta(minutes=5)


class ActivityType(StrEnum):
    PURCHASE = "PURCHASE"
    RETURN = "RETURN"
    SURVEY_COMPLETED = "SURVEY_COMPLETED"
    TRAINING_COMPLETED = "TRAINING_COMPLETED"
    EVENT_ATTENDED = "EVENT_ATTENDED"
    REFERRAL_QUALIFIED = "REFERRAL_QUALIFIED"


BUILT_IN_TYPES = frozenset(t.value for t in ActivityType)


@dataclass(frozen=True)
class Money:
    value: int  # minor units
    currency: str


@dataclass(frozen=True)
class Activity:
    external_id: str
    member_id: str
    type: str
    occurred_at: datetime
    account_id: str | None = None
    amount: Money | None = None
    quantity: int | None = None
    tags: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    returns: str | None = None  # a RETURN: the externalId of the PURCHASE it returns

    def fingerprint(self) -> str:
        content = {"memberId": self.member_id, "accountId": self.account_id,
                   "type": self.type, "occurredAt": self.occurred_at.isoformat(),
                   "amount": [self.amount.value, self.amount.currency] if self.amount else None,
                   "quantity": self.quantity, "tags": sorted(self.tags),
                   "attributes": sorted(self.attributes), "returns": self.returns}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def validate(a: Activity, custom_types: frozenset[str], now: datetime) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(a.external_id) and not _is_external_id(a.external_id):
        problems.append(("externalId", "must be 1-128 letters, digits, '-', '_', '.', ':', '/'"))
    if not is_id(a.member_id):
        problems.append(("memberId", ID_RULE))
    if a.account_id is not None and not is_id(a.account_id):
        problems.append(("accountId", ID_RULE))
    if a.type not in BUILT_IN_TYPES and a.type not in custom_types:
        problems.append(("type", "must be a built-in type or one the program declares"))
    if a.occurred_at.tzinfo is None:
        problems.append(("occurredAt", "must carry a timezone (ISO 8601, e.g. ...Z)"))
    elif a.occurred_at > now + FUTURE_SKEW:
        problems.append(("occurredAt", "is in the future"))
    if a.amount is not None:
        if not 0 <= a.amount.value <= MAX_AMOUNT:
            problems.append(("amount.value", f"must be 0-{MAX_AMOUNT} minor units"))
        if len(a.amount.currency) != 3 or not a.amount.currency.isalpha() \
                or not a.amount.currency.isupper():
            problems.append(("amount.currency", "must be an ISO 4217 code such as EUR"))
    if a.quantity is not None and not 0 <= a.quantity <= 1_000_000:
        problems.append(("quantity", "must be 0-1000000"))
    if len(a.tags) > MAX_TAGS or not all(is_id(t) for t in a.tags):
        problems.append(("tags", f"at most {MAX_TAGS}, each 1-64 letters, digits, '-', '_'"))
    if len(a.attributes) > MAX_ATTRIBUTES or not all(
            is_id(k) and len(v) <= 200 for k, v in a.attributes):
        problems.append(("attributes", f"at most {MAX_ATTRIBUTES} key/value pairs"))
    is_return = a.type == ActivityType.RETURN
    if is_return and (a.returns is None or a.amount is None):
        problems.append(("returns", "a RETURN names the PURCHASE it returns, and its amount"))
    if not is_return and a.returns is not None:
        problems.append(("returns", "only a RETURN returns a purchase"))
    if problems:
        raise ValidationFailed(problems)


def _is_external_id(value: str) -> bool:
    # Partner document numbers: a little wider than our own ids (slashes, dots).
    return 1 <= len(value) <= 128 and all(c.isascii() and (c.isalnum() or c in "-_.:/")
                                          for c in value)


def returned_share(purchased: int, already_returned: int, returning: int) -> tuple[int, int]:
    """(amount this return may take back, amount left unreturned after it)."""
    allowed = max(0, purchased - already_returned)
    taken = min(returning, allowed)
    return taken, allowed - taken


def points_taken_back(points_given: int, purchased: int, returning: int) -> int:
    """In proportion to the returned amount, rounded down: never more than was given."""
    if purchased <= 0:
        return 0
    return points_given * returning // purchased


def from_json(data: object) -> Activity:
    """An activity from the JSON a partner sends (queue messages, .jsonl files): the same
    camelCase fields as the GraphQL ActivityInput. Anything malformed is INVALID_INPUT."""
    if not isinstance(data, dict):
        raise ValidationFailed([("activity", "must be a JSON object")])
    problems: list[tuple[str, str]] = []

    def text(name: str, required: bool = True) -> str | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            problems.append((name, "must be a non-empty string"))
            return None
        return value

    external_id, member_id, kind = text("externalId"), text("memberId"), text("type")
    account_id, returns, when = text("accountId", False), text("returns", False), \
        text("occurredAt")
    occurred = None
    if when:
        try:
            occurred = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            problems.append(("occurredAt", "must be an ISO 8601 time"))
    amount = _money(data.get("amount"), problems)
    quantity = data.get("quantity")
    if quantity is not None and (not isinstance(quantity, int) or isinstance(quantity, bool)):
        problems.append(("quantity", "must be a whole number"))
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(("tags", "must be a list of strings"))
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(isinstance(v, str)
                                                   for v in attributes.values()):
        problems.append(("attributes", "must be an object of strings"))
    if problems:
        raise ValidationFailed(problems)
    assert external_id and member_id and kind and occurred  # no problems: all present
    return Activity(external_id=external_id, member_id=member_id, type=kind,
                    occurred_at=occurred, account_id=account_id, amount=amount,
                    quantity=quantity, tags=tuple(tags),
                    attributes=tuple(sorted(attributes.items())), returns=returns)


def _money(value: object, problems: list[tuple[str, str]]) -> Money | None:
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("value"), int) \
            and not isinstance(value.get("value"), bool) and isinstance(value.get("currency"), str):
        return Money(value["value"], value["currency"])
    problems.append(("amount", "must be {value: minor units, currency: 'EUR'}"))
    return None
