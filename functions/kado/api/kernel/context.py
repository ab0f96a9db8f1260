"""Claims to Principal: the one place that decides who is calling.

In AWS, API Gateway's JWT authorizer has verified the token and the claims sit
in the request context; locally the dev server verifies the token itself. Both
hand the same claims dict to `principal_from_claims`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal, Role
from kado.domain.validation import is_id

T = TypeVar("T")


class Unauthorized(Exception):
    """The claims do not name a caller this endpoint serves."""


def _claim(claims: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = claims.get(name)
    if value is None or value == "":
        if required:
            raise Unauthorized(f"token lacks the {name!r} claim")
        return None
    if not is_id(value):
        raise Unauthorized(f"claim {name!r} is malformed")
    return value


def principal_from_claims(claims: dict[str, Any], role: Role) -> Principal:
    program = _claim(claims, "program")
    subject = _claim(claims, "sub")
    assert program is not None and subject is not None
    token_role = claims.get("role") or Role.MEMBER.value
    if role is Role.MERCHANT and token_role == Role.STAFF.value:
        return Principal(role=Role.STAFF, program=program, subject=subject,
                         venue=_claim(claims, "venue"))
    if role is Role.MERCHANT and token_role in (Role.REP.value, Role.DISTRIBUTOR.value):
        return Principal(role=Role(token_role), program=program, subject=subject)
    if token_role != role.value:
        raise Unauthorized(f"a {token_role} token cannot call the {role.value} API")
    # An `account` claim is not read: the member record decides the company (it may be
    # user-writable at the identity provider, so it is never an authority).
    return Principal(role=role, program=program, subject=subject)


@dataclass
class Context:
    # None only on requests that cannot run operations (the GraphiQL page).
    caller: Principal | None
    # What this request has read, by what was read: however many fields (or aliases) ask,
    # each thing is read once per request, and never shared with another request.
    read: dict[Hashable, Any] = field(default_factory=dict)
    # The request's Accept-Language, read by the member API's names (api/kernel/translations).
    accept_language: str | None = None

    def once(self, key: Hashable, load: Callable[[], T]) -> T:
        if key not in self.read:
            self.read[key] = load()
        return cast(T, self.read[key])

    @property
    def principal(self) -> Principal:
        if self.caller is None:
            raise Unauthorized("no verified caller")
        return self.caller

    @property
    def merchant(self) -> Principal:
        """The caller, who must be a merchant (door staff only check tickets in; reps only
        award points)."""
        if self.principal.role is not Role.MERCHANT:
            raise DomainError(ErrorCode.FORBIDDEN, {
                Role.STAFF: "door staff can only check tickets in",
                Role.REP: "a rep can only award points"}.get(
                    self.principal.role, "this token only reads its distributor's companies"))
        return self.principal

    @property
    def distributor_staff(self) -> Principal:
        if self.principal.role is not Role.DISTRIBUTOR:
            raise DomainError(ErrorCode.FORBIDDEN, "only a distributor's staff read its "
                              "companies")
        return self.principal

    @property
    def rep(self) -> Principal:
        if self.principal.role is not Role.REP:
            raise DomainError(ErrorCode.FORBIDDEN, "only a sales rep awards points")
        return self.principal
