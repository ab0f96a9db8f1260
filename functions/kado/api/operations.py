"""Persisted operations in the admin API: a partner's build publishes the operations its
app sends (a versioned manifest); the program then runs only those on the member API."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain import operations as domain
from kado.domain.calendar import parse_iso
from kado.services.kernel import operations as service

OperationsInfo = Info[Context, None]


@strawberry.input
class OperationInput:
    name: str
    document: str = strawberry.field(description="The document exactly as the app sends it "
                                                 "(its SHA-256 is what the app's persisted-"
                                                 "query link sends).")


@strawberry.input
class OperationManifestInput:
    version: str = strawberry.field(description="The app build it ships with (4.2.0).")
    operations: list[OperationInput]


@strawberry.type
class ListedOperation:
    name: str
    hash: str = strawberry.field(description="SHA-256 of the document, hex.")


@strawberry.type
class OperationManifest:
    version: str
    published_at: datetime | None
    operations: list[ListedOperation]
    in_force: bool


@strawberry.type
class OperationManifestPayload:
    manifest: OperationManifest | None
    errors: list[UserError]


@strawberry.type
class OperationAllowlistPayload:
    version_in_force: str | None
    errors: list[UserError]


def _view(m: domain.Manifest, in_force: str | None) -> OperationManifest:
    return OperationManifest(version=m.version, published_at=None, in_force=m.version == in_force,
                             operations=[ListedOperation(name=op.name, hash=op.hash)
                                         for op in m.operations])


@strawberry.type
class AdminOperationsQuery:
    @strawberry.field(description="Every published manifest, and which one is in force.")
    def operation_manifests(self, info: OperationsInfo) -> list[OperationManifest]:
        program = info.context.principal.program
        current = service.in_force(program).version
        return [OperationManifest(
            version=str(m["version"]), published_at=parse_iso(str(m["publishedAt"])),
            in_force=m["version"] == current,
            operations=[ListedOperation(name=op["name"], hash=op["hash"])
                        for op in m["operations"]])
            for m in service.manifests(program)]


@strawberry.type
class AdminOperationsMutation:
    @strawberry.mutation(description="Publish the operations an app build sends; a version "
                                     "is published once and never changes.")
    def publish_operations(self, info: OperationsInfo,
                           input: OperationManifestInput) -> OperationManifestPayload:
        principal = info.context.principal
        manifest = domain.Manifest(input.version, tuple(
            domain.Operation(op.name, op.document) for op in input.operations))
        return answered(OperationManifestPayload, "manifest", lambda m: _view(m, None),
                        lambda: service.publish(principal.program, manifest, principal.subject))

    @strawberry.mutation(description="Run only the operations of manifest `version` on the "
                                     "member API (null: any operation). Every instance "
                                     "follows within the definition cache time.")
    def enforce_operations(self, info: OperationsInfo,
                           version: str | None) -> OperationAllowlistPayload:
        principal = info.context.principal
        return answered(OperationAllowlistPayload, "version_in_force", lambda v: v,
                        lambda: service.enforce(principal.program, version, principal.subject))
