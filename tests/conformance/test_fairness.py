"""Fairness: outcomes fit the published weights and the revealed seed explains every spin."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from scipy.stats import chisquare

from kado.domain.campaigns import draw
from kado.domain.campaigns.rules import Prize, PrizeKind
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.store.campaigns import spins as spin_store
from tests import support
from tests.support import member, new_program

PRIZES = (Prize("jackpot", "Jackpot", PrizeKind.ITEM, 5, None),
          Prize("small", "Small gift", PrizeKind.ITEM, 25, None),
          Prize("none", "No luck", PrizeKind.NONE, 70, None))
MEMBERS = 40
SPINS_EACH = 60  # 2,400 spins


def test_2400_spins_fit_the_weights_and_replay_from_the_revealed_seed():
    program = new_program()
    campaigns.upsert(program, support.campaign(prizes=PRIZES))
    published = campaigns.launch(program, "wheel").server_seed_hash

    def play_member(i):
        who = member(program, f"m{i}")
        return [spins.play(who, "wheel", f"spin-{i}-{n:04d}") for n in range(SPINS_EACH)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        played = [s for batch in pool.map(play_member, range(MEMBERS)) for s in batch]
    counts = [sum(1 for s in played if s.drawn_prize_id == p.id) for p in PRIZES]
    total = sum(p.weight for p in PRIZES)
    expected = [len(played) * p.weight / total for p in PRIZES]
    assert chisquare(counts, expected).pvalue > 0.001, counts

    ended = campaigns.end_campaign(program, "wheel")
    assert ended.server_seed is not None and draw.seed_hash(ended.server_seed) == published
    weights = [p.weight for p in PRIZES]
    replayed = 0
    for i in range(MEMBERS):
        for record in spin_store.list_all(program, f"m{i}", "wheel"):
            n = draw.draw_number(ended.server_seed, "wheel", record["memberId"],
                                 record["idempotencyKey"])
            drawn = PRIZES[draw.pick_index(weights, n)]
            assert record["drawnPrizeId"] == drawn.id
            assert record["won"] == drawn.is_win
            replayed += 1
    assert replayed == MEMBERS * SPINS_EACH
