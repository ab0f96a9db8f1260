from tests.scenarios.spin_scenarios import *  # noqa: F403 - the shared scenarios, on moto


def test_a_held_out_member_is_not_offered_the_campaign_and_is_told_as_an_ineligible_one():
    from dataclasses import replace

    from kado.domain.campaigns.holdout import held_out
    from kado.domain.errors import DomainError, ErrorCode
    from kado.services.campaigns import definitions as campaign_service
    from kado.services.campaigns import spins as spin_service
    from tests import support as kit
    program = kit.new_program()
    campaign_service.upsert(program, replace(kit.campaign(prizes=kit.sure_win(None)),
                                             holdout_percent=50))
    launched = campaign_service.launch(program, "wheel")
    members = [f"m{n}" for n in range(20)]  # both groups: all but certain (2 in a million)
    out = {m for m in members if held_out(launched.server_seed or "", "wheel", m, 50)}
    assert 0 < len(out) < len(members)  # both groups exist
    for who in members:
        listed, _ = campaign_service.list_for_member(kit.member(program, who), 20, None)
        if who in out:
            assert listed == []
            try:
                spin_service.play(kit.member(program, who), "wheel", kit.key())
                raise AssertionError("a held-out member spun")
            except DomainError as refusal:
                assert refusal.code is ErrorCode.NOT_ELIGIBLE
        else:
            assert [c.id for c in listed] == ["wheel"]
            assert spin_service.play(kit.member(program, who), "wheel", kit.key()).won
