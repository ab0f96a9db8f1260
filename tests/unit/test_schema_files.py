from pathlib import Path

from kado.local import schema_files

GRAPHQL = Path(__file__).resolve().parents[2] / "graphql"


def test_checked_in_sdl_matches_the_code():
    assert schema_files.drifted(GRAPHQL) == [], "run `kado schema export`"


def test_drift_is_detected(tmp_path):
    schema_files.export(tmp_path)
    assert schema_files.drifted(tmp_path) == []
    (tmp_path / "member.graphql").write_text("type Query { stale: Int }\n")
    assert schema_files.drifted(tmp_path) == ["member"]


def test_member_schema_has_no_admin_fields():
    sdl = schema_files.render("member")
    assert "upsertCampaign" not in sdl and "stats" not in sdl
    assert "spin(input: SpinInput!): SpinPayload!" in sdl
