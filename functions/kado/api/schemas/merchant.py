"""The merchant API, the field's: the till (cashiers and POS), door staff checking tickets
in, sales reps awarding points, and distributors' staff reading their companies."""

from __future__ import annotations

import strawberry

from kado.api.channel import FieldDistributorQuery
from kado.api.events import DoorMutation, DoorQuery
from kado.api.kernel.app import build_schema
from kado.api.reps import FieldRepMutation, FieldRepQuery
from kado.api.vouchers.till import TillMutation, TillQuery


@strawberry.type
class Query(TillQuery, DoorQuery, FieldRepQuery, FieldDistributorQuery):
    pass


@strawberry.type
class Mutation(TillMutation, DoorMutation, FieldRepMutation):
    pass


schema = build_schema(Query, Mutation)
