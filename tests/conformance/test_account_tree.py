"""The channel's tree of companies: a brand's distributors and their retailers, moves kept,
cycles and depth refused, an account with accounts under it kept in its place."""

from __future__ import annotations

from kado.domain.errors import ErrorCode
from kado.services import members
from kado.services.members import GiftPolicy
from tests.support import new_program, refused


def put(program: str, account: str, parent: str | None) -> members.Account:
    return members.upsert_account(program, account, account.title(), GiftPolicy.ACCEPTS, parent)


def channel() -> str:
    program = new_program()
    put(program, "brand", None)
    for distributor in ("north", "south"):
        put(program, distributor, "brand")
    for n in range(3):
        put(program, f"shop{n}", "north")
    return program


def test_retailers_are_listed_under_their_distributor_page_by_page():
    program = channel()
    first = members.account_children(program, "north", 2, None)
    rest = members.account_children(program, "north", 2, first.end_cursor)
    assert [a["id"] for a in first.items + rest.items] == [f"shop{n}" for n in range(3)]
    assert first.has_next and not rest.has_next
    assert members.ancestors(program, "shop2") == ["north", "brand"]
    assert members.get_account(program, "shop2").parent_id == "north"


def test_a_retailer_moves_once_with_its_history_and_a_plain_upsert_keeps_its_place():
    program = channel()
    put(program, "shop1", "south")
    assert members.ancestors(program, "shop1") == ["south", "brand"]
    assert [a["id"] for a in members.account_children(program, "south", 10, None).items] == [
        "shop1"]
    assert "shop1" not in [a["id"] for a in members.account_children(program, "north", 10,
                                                                     None).items]
    members.upsert_account(program, "shop1", "Shop One", GiftPolicy.DECLINES)  # no place given
    assert members.get_account(program, "shop1").parent_id == "south"
    assert [(m.get("from"), m["to"]) for m in members.account_moves(program, "shop1")] == [
        (None, "north"), ("north", "south")]


def test_cycles_depth_unknown_parents_and_moving_a_subtree_are_refused():
    program = channel()
    assert refused(ErrorCode.INVALID_INPUT, lambda: put(program, "brand", "shop0")).field \
        == "parentId"  # under its own retailer
    put(program, "kiosk", "shop0")  # brand > north > shop0 > kiosk: four levels
    assert "4 levels" in refused(ErrorCode.INVALID_INPUT,
                                 lambda: put(program, "cart", "kiosk")).message
    refused(ErrorCode.NOT_FOUND, lambda: put(program, "shop9", "west"))
    assert "keeps its place" in refused(ErrorCode.INVALID_INPUT,
                                        lambda: put(program, "north", "south")).message
    assert members.ancestors(program, "north") == ["brand"]


STAFF_LIST = """query($after: String) { myCompanies(first: 1, after: $after) {
  nodes { id parentId standing { tier } } pageInfo { hasNextPage endCursor } } }"""
STAFF_ONE = 'query($id: String!) { channelCompany(id: $id) { id children { nodes { id } } } }'


def test_a_distributors_staff_read_their_subtree_and_nothing_else():
    from kado.api.schemas.merchant import schema
    from kado.domain.principal import Principal, Role
    from tests.support import execute, refusal

    program = channel()
    put(program, "shop-s", "south")
    put(program, "kiosk", "shop0")
    members.set_distributor_staff(program, "nina", "north")
    members.set_distributor_staff(program, "sam", "south")
    nina = Principal(Role.DISTRIBUTOR, program, "nina")
    sam = Principal(Role.DISTRIBUTOR, program, "sam")
    first = execute(schema, STAFF_LIST, nina)["myCompanies"]
    assert [n["id"] for n in first["nodes"]] == ["shop0"]
    assert execute(schema, STAFF_ONE, nina, {"id": "shop0"})["channelCompany"] == {
        "id": "shop0", "children": {"nodes": [{"id": "kiosk"}]}}
    assert execute(schema, STAFF_ONE, nina, {"id": "kiosk"})["channelCompany"]["id"] == "kiosk"
    # Another subtree's company by id, and by a cursor from another distributor's list.
    assert refusal(schema, STAFF_ONE, nina, {"id": "shop-s"})["code"] == "NOT_FOUND"
    theirs = execute(schema, STAFF_LIST, sam)["myCompanies"]["pageInfo"]["endCursor"]
    assert refusal(schema, STAFF_LIST, nina, {"after": theirs})["code"] == "INVALID_INPUT"
    # A company moved away is out of reach at once; access taken away holds at once.
    put(program, "shop1", "south")
    assert refusal(schema, STAFF_ONE, nina, {"id": "shop1"})["code"] == "NOT_FOUND"
    members.set_distributor_staff(program, "nina", None)
    assert refusal(schema, STAFF_LIST, nina)["code"] == "FORBIDDEN"
    refused(ErrorCode.NOT_FOUND, lambda: members.set_distributor_staff(program, "x", "west"))
