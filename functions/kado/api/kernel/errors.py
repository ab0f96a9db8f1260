"""Typed errors inside payloads: expected failures are data, not exceptions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from kado.domain.errors import RETRYABLE, DomainError, ValidationFailed
from kado.domain.errors import ErrorCode as DomainErrorCode
from kado.services.kernel import outage

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode")

T = TypeVar("T")
P = TypeVar("P")


@strawberry.type
class UserError:
    code: ErrorCode  # type: ignore[valid-type]
    message: str
    field: str | None = None

    @strawberry.field(description="True when nothing was refused (BUSY, UNAVAILABLE): the "
                                  "same request with the same idempotency key may succeed "
                                  "later, and is never applied twice.")
    def retryable(self) -> bool:
        return self.code in RETRYABLE


def user_errors(error: DomainError) -> list[UserError]:
    if isinstance(error, ValidationFailed):
        return [UserError(code=error.code, message=m, field=f) for f, m in error.problems]
    return [UserError(code=error.code, message=error.message, field=error.field)]


def attempt(action: Callable[[], T]) -> tuple[T | None, list[UserError]]:
    """Run a use case; a DomainError becomes the payload's errors."""
    try:
        return action(), []
    except DomainError as error:
        return None, user_errors(error)
    except Exception as error:
        refusal = outage.as_refusal(error)
        if refusal is None:
            raise
        return None, user_errors(refusal)


def answered(payload: Callable[..., P], field: str, present: Callable[[T], Any],
             action: Callable[[], T]) -> P:
    """A mutation's payload, the one shape every payload has (as Saleor's BaseMutation
    gives its mutations): the use case's result, presented, under `field`, or its errors."""
    done, errors = attempt(action)
    return payload(**{field: None if done is None else present(done), "errors": errors})


class ErrorCodes(SchemaExtension):
    """A query refused by the domain (a bad argument, an unknown id) carries its code and
    field in the error's extensions, so a client branches on the code, not the text."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors or []) if result else []:
            original = error.original_error
            # A scalar refused while variables were coerced: graphql-core wraps our refusal
            # in an error of its own; the code is still ours (INVALID_INPUT).
            if isinstance(original, GraphQLError) and \
                    isinstance(original.original_error, DomainError):
                original = original.original_error
            outage_refusal = outage.as_refusal(original) if original else None
            if outage_refusal is not None:  # told as what it is, not masked as a bug
                error.original_error = original = outage_refusal
                error.message = outage_refusal.message
            if isinstance(original, DomainError):
                error.extensions = {**(error.extensions or {}), "code": original.code.value,
                                    **({"field": original.field} if original.field else {}),
                                    **({"retryable": True} if original.code in RETRYABLE
                                       else {})}
