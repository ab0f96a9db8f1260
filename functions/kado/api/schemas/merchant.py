"""The merchant API: the till (cashiers and POS) and door staff checking tickets in."""

from __future__ import annotations

import strawberry

from kado.api.events import DoorMutation, DoorQuery
from kado.api.kernel.app import build_schema
from kado.api.vouchers.till import TillMutation, TillQuery


@strawberry.type
class Query(TillQuery, DoorQuery):
    pass


@strawberry.type
class Mutation(TillMutation, DoorMutation):
    pass


schema = build_schema(Query, Mutation)
