"""A program's operation allowlist, enforced on the member API after a request is parsed,
priced and validated (so a refused document still costs no read) and before any resolver
runs. A document the manifest in force does not list is refused with
OPERATION_NOT_ALLOWED.

When the allowlist cannot be read (the database out of reach), the last list this instance
knew is used; an instance that never knew one lets the request run: every resolver then
meets the same outage and answers UNAVAILABLE in the documented place (a mutation's
payload), under the cost limits every request has. The allowlist narrows what may be
asked; it guards no balance."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from kado.domain.principal import Role
from kado.services.kernel import operations, outage


class OperationAllowlist(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        refusal = self._refusal()
        if refusal is not None:
            self.execution_context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self) -> GraphQLError | None:
        caller = getattr(self.execution_context.context, "caller", None)
        query = self.execution_context.query
        if caller is None or caller.role is not Role.MEMBER or query is None:
            return None
        try:
            in_force = operations.in_force(caller.program)
        except Exception as error:
            if outage.as_refusal(error) is None:
                raise
            in_force = operations.last_known(caller.program)
        if in_force.version is None or \
                hashlib.sha256(query.encode()).hexdigest() in in_force.hashes:
            return None
        return GraphQLError("this operation is not in the program's published manifest in "
                            "force", extensions={"code": "OPERATION_NOT_ALLOWED"})
