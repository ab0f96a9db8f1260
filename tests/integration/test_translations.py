"""What members read comes in their language: marketing translates a campaign, its
prizes and an event in the console; the member API answers by the language argument,
then Accept-Language, then the program's default language, then the text as defined;
the console keeps seeing the text as defined."""

from __future__ import annotations

from kado.api.schemas import admin as admin_api
from kado.api.schemas import member as member_api
from kado.services.campaigns import definitions as campaigns
from kado.services.events import definitions as event_service
from tests.scenarios.event_scenarios import dealer_night
from tests.support import admin, campaign, execute, member, new_program, refusal

TRANSLATE = """mutation($input: TranslateInput!) { translate(input: $input) {
    translation { subject subjectId language name description } errors { code field } } }"""
WHEEL = "{ campaigns { nodes { name description prizes { id name } } } }"


def translate(program: str, subject: str, subject_id: str, language: str,
              name: str | None, description: str | None = None) -> dict:
    return execute(admin_api.schema, TRANSLATE, admin(program), {"input": {
        "subject": subject, "subjectId": subject_id, "language": language, "name": name,
        "description": description}})["translate"]


def wheel(program: str, accept_language: str | None = None) -> dict:
    return execute(member_api.schema, WHEEL, member(program),
                   accept_language=accept_language)["campaigns"]["nodes"][0]


def test_a_member_reads_the_campaign_in_their_language_and_the_console_as_defined():
    program = new_program()
    campaigns.launch(program, campaigns.upsert(program, campaign("spring")).id)
    assert translate(program, "CAMPAIGN", "spring", "vi", "Vòng quay mùa xuân",
                     "Quay mỗi ngày")["translation"] == {
        "subject": "CAMPAIGN", "subjectId": "spring", "language": "vi",
        "name": "Vòng quay mùa xuân", "description": "Quay mỗi ngày"}
    translate(program, "PRIZE", "spring/mug", "vi", "Cốc sứ")
    translate(program, "CAMPAIGN", "spring", "th", "วงล้อฤดูใบไม้ผลิ")

    vietnamese = wheel(program, "vi-VN,vi;q=0.9,en;q=0.8")
    assert (vietnamese["name"], vietnamese["description"]) == \
        ("Vòng quay mùa xuân", "Quay mỗi ngày")
    assert [p["name"] for p in vietnamese["prizes"]] == ["Cốc sứ", "No luck"]
    assert wheel(program, "th-TH")["name"] == "วงล้อฤดูใบไม้ผลิ"
    assert wheel(program, "fr-FR")["name"] == "Campaign spring"  # no default language yet
    assert execute(member_api.schema, '{ campaigns { nodes { name(language: "th") } } }',
                   member(program), accept_language="vi")["campaigns"]["nodes"][0] == \
        {"name": "วงล้อฤดูใบไม้ผลิ"}

    assert execute(admin_api.schema, 'mutation { setDefaultLanguage(language: "vi") '
                   '{ defaultLanguage errors { code } } }', admin(program)) == \
        {"setDefaultLanguage": {"defaultLanguage": "vi", "errors": []}}
    assert wheel(program, "fr-FR")["name"] == "Vòng quay mùa xuân"
    assert wheel(program)["name"] == "Vòng quay mùa xuân"

    # The console's edit form is filled with what was defined, whatever the browser says.
    console = execute(admin_api.schema, "{ campaigns { nodes { name } } defaultLanguage "
                      "translations { subject subjectId language name } }", admin(program),
                      accept_language="vi")
    assert console["campaigns"]["nodes"] == [{"name": "Campaign spring"}]
    assert console["defaultLanguage"] == "vi"
    assert [(t["subject"], t["subjectId"], t["language"]) for t in console["translations"]] \
        == [("CAMPAIGN", "spring", "th"), ("CAMPAIGN", "spring", "vi"),
            ("PRIZE", "spring/mug", "vi")]

    # Removing a translation: members of that language read the default again.
    assert translate(program, "CAMPAIGN", "spring", "th", None) == \
        {"translation": None, "errors": []}
    assert wheel(program, "th")["name"] == "Vòng quay mùa xuân"


def test_an_event_keeps_its_description_when_only_its_name_is_translated():
    program = new_program()
    event_service.upsert(program, dealer_night(description="Dinner with the dealers"))
    translate(program, "EVENT", "dealer-night", "th", "คืนตัวแทนจำหน่าย")
    shown = execute(admin_api.schema, '{ events { nodes { name(language: "th") '
                    'description(language: "th") } } }', admin(program))
    assert shown["events"]["nodes"] == [{"name": "คืนตัวแทนจำหน่าย",
                                         "description": "Dinner with the dealers"}]


def test_a_translation_of_nothing_or_in_no_language_is_refused_and_changes_nothing():
    program = new_program()
    campaigns.upsert(program, campaign("spring"))
    assert translate(program, "CAMPAIGN", "autumn", "vi", "Mùa thu")["errors"] == \
        [{"code": "NOT_FOUND", "field": "subjectId"}]
    assert translate(program, "PRIZE", "spring/cup", "vi", "Cốc")["errors"] == \
        [{"code": "NOT_FOUND", "field": "subjectId"}]
    assert translate(program, "PRIZE", "spring", "vi", "Cốc")["errors"] == \
        [{"code": "INVALID_INPUT", "field": "subjectId"}]
    assert translate(program, "CAMPAIGN", "spring", "Tiếng Việt", "Mùa xuân")["errors"] == \
        [{"code": "INVALID_INPUT", "field": "language"}]
    assert translate(program, "CAMPAIGN", "spring", "vi", " ")["errors"] == \
        [{"code": "INVALID_INPUT", "field": "name"}]
    assert execute(admin_api.schema, "{ translations { name } }", admin(program)) == \
        {"translations": []}
    assert refusal(member_api.schema, '{ campaigns { nodes { name(language: 7) } } }',
                   member(program))["message"].startswith("String cannot represent")
