"""Persisted operations: a partner build publishes its operations as a versioned manifest,
the program turns its allowlist on, and the member API then runs those and nothing else
(a listed hash runs even on an instance that never saw its document)."""

from __future__ import annotations

import hashlib
import json

from kado.api.kernel import persisted_queries
from kado.api.schemas import admin as admin_api
from kado.handlers import member_api
from kado.local.apigw import LambdaContext, event
from kado.local.operation_files import read
from tests.support import admin, execute, new_program

ME = "query Me { me { id } }"
CAMPAIGNS = "query Campaigns { campaigns { nodes { id } } }"
PUBLISH = """mutation($i: OperationManifestInput!) { publishOperations(input: $i) {
  manifest { version operations { name hash } } errors { code field } } }"""
ENFORCE = """mutation($v: String) { enforceOperations(version: $v) {
  versionInForce errors { code field } } }"""


def member_call(program: str, body: dict) -> tuple[int, dict]:
    request = event("/member/graphql", body, {"sub": "alice", "program": program})
    response = member_api.handler(request, LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def hash_only(document: str) -> dict:
    return {"extensions": {"persistedQuery": {
        "version": 1, "sha256Hash": hashlib.sha256(document.encode()).hexdigest()}}}


def test_with_the_allowlist_on_only_the_published_operations_run():
    program, other = new_program(), new_program()
    published = execute(admin_api.schema, PUBLISH, admin(program), {"i": {
        "version": "4.2.0", "operations": [{"name": "Me", "document": ME}]}})
    assert published["publishOperations"]["manifest"]["operations"] == [
        {"name": "Me", "hash": hashlib.sha256(ME.encode()).hexdigest()}]
    again = execute(admin_api.schema, PUBLISH, admin(program), {"i": {
        "version": "4.2.0", "operations": [{"name": "Campaigns", "document": CAMPAIGNS}]}})
    assert again["publishOperations"]["errors"] == [{"code": "INVALID_INPUT",
                                                     "field": "version"}]  # never rewritten
    assert member_call(program, {"query": CAMPAIGNS})[0] == 200  # off: anything runs
    assert execute(admin_api.schema, ENFORCE, admin(program), {"v": "4.2.0"}) == {
        "enforceOperations": {"versionInForce": "4.2.0", "errors": []}}

    body = member_call(program, {"query": CAMPAIGNS})[1]
    assert body["data"] is None  # refused before any resolver ran
    assert body["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    assert member_call(program, {"query": ME}) == (200, {"data": {"me": {"id": "alice"}}})
    persisted_queries.forget_all()  # a fresh instance: the hash alone is enough
    assert member_call(program, hash_only(ME)) == (200, {"data": {"me": {"id": "alice"}}})
    assert member_call(program, hash_only(CAMPAIGNS))[1]["errors"][0]["extensions"][
        "code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert member_call(other, {"query": CAMPAIGNS})[0] == 200  # another program: its own

    execute(admin_api.schema, ENFORCE, admin(program), {"v": None})
    assert member_call(program, {"query": CAMPAIGNS})[0] == 200


def test_a_bad_manifest_is_refused_at_its_fields_and_nothing_is_published():
    program = new_program()
    refused = execute(admin_api.schema, PUBLISH, admin(program), {"i": {
        "version": "no spaces", "operations": [{"name": "Me", "document": "query {"},
                                               {"name": "Me", "document": ME}]}})
    assert refused["publishOperations"]["errors"] == [
        {"code": "INVALID_INPUT", "field": f} for f in ("version", "operations[1].name")]
    unparsable = execute(admin_api.schema, PUBLISH, admin(program), {"i": {
        "version": "1.0", "operations": [{"name": "Me", "document": "query {"}]}})
    assert unparsable["publishOperations"]["errors"] == [
        {"code": "INVALID_INPUT", "field": "operations[0].document"}]
    assert execute(admin_api.schema, ENFORCE, admin(program), {"v": "1.0"})[
        "enforceOperations"]["errors"] == [{"code": "NOT_FOUND", "field": "version"}]
    assert execute(admin_api.schema, "{ operationManifests { version } }",
                   admin(program)) == {"operationManifests": []}


def test_the_cli_reads_a_folder_of_graphql_files_or_an_apollo_manifest(tmp_path):
    (tmp_path / "me.graphql").write_text(ME)
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "home.graphql").write_text(CAMPAIGNS)
    assert read(tmp_path) == [{"name": "Me", "document": ME},  # by path
                              {"name": "Campaigns", "document": CAMPAIGNS}]
    apollo = tmp_path / "persisted-query-manifest.json"
    apollo.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1,
                                  "operations": [{"id": "x", "name": "Me", "type": "query",
                                                  "body": ME}]}))
    assert read(apollo) == [{"name": "Me", "document": ME}]


def test_an_outage_keeps_the_last_allowlist_this_instance_read():
    from botocore.exceptions import EndpointConnectionError

    from kado.services.kernel import operations
    from kado.store.kernel.client import dynamodb
    program = new_program()
    execute(admin_api.schema, PUBLISH, admin(program), {"i": {
        "version": "1", "operations": [{"name": "Me", "document": ME}]}})
    execute(admin_api.schema, ENFORCE, admin(program), {"v": "1"})
    assert member_call(program, {"query": ME})[0] == 200  # read and known
    operations.forget(program)  # its time is up: the next request reads it again, and cannot

    def unreachable(**_: object) -> None:
        raise EndpointConnectionError(endpoint_url="https://dynamodb.invalid")

    events = dynamodb().meta.events
    events.register_first("before-call.dynamodb", unreachable, unique_id="outage")
    try:
        refused = member_call(program, {"query": CAMPAIGNS})[1]
    finally:
        events.unregister("before-call.dynamodb", unique_id="outage")
    assert refused["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
