"""Counts what an operation asks of DynamoDB: round trips and capacity units.

botocore events on the process's one client: every call is made to return its
consumed capacity (ReturnConsumedCapacity=TOTAL), and each call is recorded
with its parameters so the benchmark can replay exactly the same requests.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

CAPACITY_OPERATIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
                       "BatchGetItem", "BatchWriteItem", "TransactWriteItems",
                       "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


@dataclass(frozen=True)
class Call:
    operation: str
    params: dict[str, Any]
    wcu: float
    rcu: float


@dataclass
class Meter:
    client: Any
    calls: list[Call] = field(default_factory=list)
    _pending: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __enter__(self) -> Meter:
        events = self.client.meta.events
        events.register("provide-client-params.dynamodb.*", self._ask_capacity,
                        unique_id="kado-meter-ask")
        events.register("after-call.dynamodb.*", self._record, unique_id="kado-meter-record")
        return self

    def __exit__(self, *_: object) -> None:
        events = self.client.meta.events
        events.unregister("provide-client-params.dynamodb.*", unique_id="kado-meter-ask")
        events.unregister("after-call.dynamodb.*", unique_id="kado-meter-record")

    def reset(self) -> list[Call]:
        taken, self.calls = self.calls, []
        return taken

    def _ask_capacity(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in CAPACITY_OPERATIONS:
            params["ReturnConsumedCapacity"] = "TOTAL"
        self._pending.append((model.name, copy.deepcopy(params)))

    def _record(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        operation, params = self._pending.pop(0) if self._pending else (model.name, {})
        consumed = parsed.get("ConsumedCapacity") or []
        if isinstance(consumed, dict):
            consumed = [consumed]
        # Refused transactions report no capacity in the parsed error body.
        units = sum(float(c.get("CapacityUnits", 0)) for c in consumed)
        write = operation in WRITES
        self.calls.append(Call(operation, params, units if write else 0.0,
                               0.0 if write else units))
