"""Item keys. Every partition key starts with the program id, so one tenant's
queries can never name another tenant's items."""

from __future__ import annotations

from kado.store.kernel.tables import PK, SK

META = "META"
Key = dict[str, dict[str, str]]


def _pk(program: str, *parts: str) -> str:
    return "#".join(("P", program, *parts))


def key(pk: str, sk: str) -> Key:
    return {PK: {"S": pk}, SK: {"S": sk}}


def campaign(program: str, campaign_id: str) -> Key:
    return key(_pk(program, "C", campaign_id), META)


def campaigns_index(program: str) -> str:
    return _pk(program, "CAMPAIGNS")


def stock_shard(program: str, campaign_id: str, prize_id: str, shard: int) -> Key:
    # Each shard is its own partition so flash traffic spreads across partitions.
    return key(_pk(program, "STOCK", campaign_id, prize_id, str(shard)), "STOCK")


def stat_shard(program: str, campaign_id: str, shard: int) -> Key:
    return key(_pk(program, "CSTAT", campaign_id, str(shard)), "STAT")


def stat_days(program: str, campaign_id: str, shard: int) -> str:
    """A stat shard's days (a partition of its own: the shard's own partition already
    takes one write per spin)."""
    return _pk(program, "CDAYS", campaign_id, str(shard))


def stat_day(program: str, campaign_id: str, shard: int, day: str) -> Key:
    """A stat shard's counters for one local day of the campaign."""
    return key(stat_days(program, campaign_id, shard), f"DAY#{day}")


def campaign_day_players(program: str, campaign_id: str, day: str) -> Key:
    """A finished day's player count, counted once."""
    return key(stat_days(program, campaign_id, 0), f"PLAYERS#{day}")


def campaign_players(program: str, campaign_id: str, shard: int) -> str:
    """Index partition: the campaign's members by the days they played (`<day>#<member>`)."""
    return _pk(program, "CPLAYERS", campaign_id, str(shard))


def member_listing(program: str, member_id: str) -> Key:
    """The member's line in the program's roster (kept off the profile, which every
    activity rewrites: an index entry there would be rewritten with it)."""
    return key(_pk(program, "M", member_id), "LISTED")


def members_index(program: str) -> str:
    return _pk(program, "MEMBERS")


def voucher_by_id(program: str, voucher_id: str) -> Key:
    """Where a voucher id leads to its lookup (written with the voucher)."""
    return key(_pk(program, "VID", voucher_id), "VOUCHER")


def member_all_spins_index(program: str, member_id: str) -> str:
    """GSI2 partition: every spin of the member, by time (any campaign)."""
    return _pk(program, "M", member_id, "ALLSPINS")


def member(program: str, member_id: str) -> Key:
    return key(_pk(program, "M", member_id), "PROFILE")


def spin(program: str, member_id: str, idempotency_key: str) -> Key:
    # Keyed by member + idempotency key: a retry hits the same item.
    return key(_pk(program, "M", member_id), f"SPIN#{idempotency_key}")


def spins_played(program: str, member_id: str, campaign_id: str) -> Key:
    # Counters live on their own small items, not on the member's profile, which
    # would otherwise grow by an attribute per campaign and day.
    return key(_pk(program, "M", member_id), f"PLAYED#{campaign_id}")


def spins_played_on(program: str, member_id: str, campaign_id: str, day: str) -> Key:
    return key(_pk(program, "M", member_id), f"PLAYED#{campaign_id}#{day}")


def member_spins_index(program: str, member_id: str, campaign_id: str) -> str:
    return _pk(program, "M", member_id, "SPINS", campaign_id)


def account(program: str, account_id: str) -> Key:
    return key(_pk(program, "A", account_id), META)


def account_policy(program: str, account_id: str, shard: int) -> Key:
    # Copies of the gift policy, each its own partition (see domain/shards.py).
    return key(_pk(program, "A", account_id, "POLICY", str(shard)), "POLICY")


def accounts_index(program: str) -> str:
    return _pk(program, "ACCOUNTS")


def voucher_product(program: str, product_id: str) -> Key:
    return key(_pk(program, "VP", product_id), META)


def voucher_products_index(program: str) -> str:
    return _pk(program, "VPRODUCTS")


def merchant(program: str, merchant_id: str) -> Key:
    return key(_pk(program, "MER", merchant_id), META)


def merchants_index(program: str) -> str:
    return _pk(program, "MERCHANTS")


def voucher(program: str, lookup: str) -> Key:
    # Keyed by the code's HMAC: the till's one lookup is a GetItem, and the
    # table never holds the code itself.
    return key(_pk(program, "V", lookup), "VOUCHER")


def lookup_in_pk(voucher_pk: str) -> str:
    return voucher_pk.rsplit("#", 1)[1]


def voucher_ledger(program: str, lookup: str, at: str, entry_id: str) -> Key:
    return key(_pk(program, "V", lookup), f"LEDGER#{at}#{entry_id}")


def member_vouchers_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "VOUCHERS")


def pool_index(program: str, product_id: str, shard: int) -> str:
    # Unissued pool codes, spread over shards so parallel claims start apart.
    return _pk(program, "POOL", product_id, str(shard))


def issuance(program: str, member_id: str, idempotency_key: str) -> Key:
    return key(_pk(program, "M", member_id), f"ISSUE#{idempotency_key}")


def redemption(program: str, merchant_id: str, redemption_id: str) -> Key:
    # Under the merchant: another merchant cannot even address it.
    return key(_pk(program, "MER", merchant_id), f"RDM#{redemption_id}")


def merchant_redemptions_index(program: str, merchant_id: str) -> str:
    return _pk(program, "MER", merchant_id, "RDM")


def activity(program: str, external_id: str) -> Key:
    # Its own partition: parallel resends of one activity meet only each other.
    return key(_pk(program, "ACT", external_id), "ACTIVITY")


def points_ledger(program: str, member_id: str, seq: int) -> Key:
    return key(_pk(program, "M", member_id), f"LEDGER#{seq:010d}")


def points_ledger_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "LEDGER")


def tier_change(program: str, member_id: str, period: str, tier: str) -> Key:
    # One per member, period and tier reached: parallel crossings make one entry.
    return key(_pk(program, "M", member_id), f"TIER#{period}#{tier}")


def company_progress(program: str, account_id: str, shard: int) -> Key:
    # A company's tier progress, split like its wallet: every activity adds to one shard.
    return key(_pk(program, "A", account_id, "PROGRESS", str(shard)), "PROGRESS")


def company_tier_change(program: str, account_id: str, change: str, tier: str) -> Key:
    # One per company, change and tier: parallel settlers of one crossing make one entry.
    return key(_pk(program, "A", account_id), f"TIER#{change}#{tier}")


def company_tier_changes_index(program: str, account_id: str) -> str:
    return _pk(program, "A", account_id, "TIERS")


def wallet_shard(program: str, account_id: str, shard: int) -> Key:
    # A company's wallet is split: each shard its own partition, with its own seq and
    # ledger, so a big company's activity does not queue on one item.
    return key(_pk(program, "A", account_id, "WALLET", str(shard)), "WALLET")


def wallet_ledger(program: str, account_id: str, shard: int, seq: int) -> Key:
    return key(_pk(program, "A", account_id, "WALLET", str(shard)), f"LEDGER#{seq:010d}")


def wallet_ledger_index(program: str, account_id: str) -> str:
    """Every shard's entries of a company wallet, by time."""
    return _pk(program, "A", account_id, "LEDGER")


def tier_lapses_index(program: str, day: str, shard: int) -> str:
    """Members whose tier lapses on `day` (UTC), spread over shards: the tidy-up job reads
    them; nothing else depends on it."""
    return _pk(program, "LAPSES", day, str(shard))


def tier_changes_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "TIERS")


def loyalty_definitions(program: str, kind: str, item_id: str) -> Key:
    return key(_pk(program, "LOYALTY", kind, item_id), META)


def loyalty_definitions_index(program: str) -> str:
    """Earning rules, rewards, the tier ladder and the settings: read together, cached."""
    return _pk(program, "LOYALTY")


def adjustment(program: str, member_id: str, idempotency_key: str) -> Key:
    return key(_pk(program, "M", member_id), f"ADJ#{idempotency_key}")


def reward_stock(program: str, reward_id: str) -> Key:
    return key(_pk(program, "REWARD", reward_id), "STOCK")


def reward_redemption(program: str, member_id: str, idempotency_key: str) -> Key:
    return key(_pk(program, "M", member_id), f"REWARD#{idempotency_key}")


def earning_cap(program: str, member_id: str, rule_id: str, window: str, period: str) -> Key:
    return key(_pk(program, "M", member_id), f"CAP#{rule_id}#{window}#{period}")


def export_job(program: str, job_id: str) -> Key:
    return key(_pk(program, "EXPORT", job_id), META)


def report_job(program: str, job_id: str) -> Key:
    return key(_pk(program, "REPORT", job_id), META)


def report_jobs_index(program: str) -> str:
    """GSI1: the program's report jobs, by when each was asked for."""
    return _pk(program, "REPORTS")


def statement_links(program: str, kind: str, holder: str) -> Key:
    """A member's or company's statement link version (raised to revoke every link)."""
    return key(_pk(program, "M" if kind == "MEMBER" else "A", holder), "STATEMENT_LINKS")


def statement_periods(program: str) -> Key:
    """The periods the program's statements were made for."""
    return key(_pk(program, "EXPORT"), "PERIODS")


def export_lock(program: str) -> Key:
    """The program's one running export."""
    return key(_pk(program, "EXPORT"), "RUNNING")


def event(program: str, event_id: str) -> Key:
    return key(_pk(program, "EV", event_id), META)


def events_index(program: str) -> str:
    return _pk(program, "EVENTS")


def event_seats(program: str, event_id: str, shard: int) -> Key:
    # Seats left, split like prize stock: each shard its own partition.
    return key(_pk(program, "EV", event_id, "SEATS", str(shard)), "SEATS")


def registrations(program: str, event_id: str, shard: int) -> str:
    # An event's registrations, split by member over partitions a flash opening can fill.
    return _pk(program, "EV", event_id, "R", str(shard))


def registration(program: str, event_id: str, shard: int, member_id: str) -> Key:
    return key(registrations(program, event_id, shard), f"M#{member_id}")


def waitlist(program: str, event_id: str, shard: int) -> str:
    # Waiting registrations in acceptance order (the sort key starts with acceptedAt).
    return _pk(program, "EV", event_id, "W", str(shard))


def waitlist_count(program: str, event_id: str, shard: int) -> Key:
    """How many wait on one waitlist shard, moved with each entry: an events page reads
    every event's counts in one batch instead of counting each line."""
    return key(_pk(program, "EV", event_id, "WC", str(shard)), "COUNT")


def waitlist_entry(program: str, event_id: str, shard: int, order: str) -> Key:
    return key(waitlist(program, event_id, shard), order)


def event_account(program: str, event_id: str, account_id: str) -> Key:
    return key(_pk(program, "EV", event_id, "A", account_id), "COUNT")


def member_registrations_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "REGS")


def spin_credits(program: str, member_id: str, campaign_id: str) -> Key:
    return key(_pk(program, "M", member_id), f"CREDITS#{campaign_id}")


def spin_credits_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "CREDITS")


def quest(program: str, quest_id: str) -> Key:
    return key(_pk(program, "QUEST", quest_id), META)


def quest_gate(program: str, copy: int) -> Key:
    return key(_pk(program, "QUESTS", "GATE", str(copy)), META)


def quests_index(program: str) -> str:
    return _pk(program, "QUESTS")


def quest_progress(program: str, member_id: str, quest_id: str, cycle: str) -> Key:
    # In the member's partition: one member's activity is the only writer.
    return key(_pk(program, "M", member_id), f"QUEST#{quest_id}#{cycle}")


def board(program: str, *parts: str) -> str:
    """A leaderboard (store/leaderboards.py adds the shard)."""
    return _pk(program, "BOARD", *parts)


def quest_company_entry(program: str, account_id: str, quest_id: str, cycle: str) -> Key:
    """A company's place on a quest's board: how many of its members completed it."""
    return key(_pk(program, "A", account_id), f"QBOARD#{quest_id}#{cycle}")


def ladder_member_entry(program: str, member_id: str, period: str) -> Key:
    return key(_pk(program, "M", member_id), f"LBOARD#{period}")


def ladder_company_entry(program: str, account_id: str, period: str) -> Key:
    return key(_pk(program, "A", account_id), f"LBOARD#{period}")


def ladder_child_entry(program: str, account_id: str, period: str) -> Key:
    """The company's place on its parent's board (one item, whichever parent it has now)."""
    return key(_pk(program, "A", account_id), f"LBOARD#UNDER#{period}")


def badge(program: str, member_id: str, badge_id: str, earned_by: str) -> Key:
    return key(_pk(program, "M", member_id), f"BADGE#{badge_id}#{earned_by}")


def badges_index(program: str, member_id: str) -> str:
    return _pk(program, "M", member_id, "BADGES")


def survey(program: str, survey_id: str) -> Key:
    return key(_pk(program, "SURVEY", survey_id), META)


def surveys_index(program: str) -> str:
    return _pk(program, "SURVEYS")


def submission(program: str, member_id: str, survey_id: str) -> Key:
    return key(_pk(program, "M", member_id), f"SURVEY#{survey_id}")


def submissions_index(program: str, survey_id: str) -> str:
    return _pk(program, "SURVEY", survey_id, "ANSWERS")


def referral_code(program: str, code: str) -> Key:
    return key(_pk(program, "REFCODE", code), META)


def referral(program: str, referred_account: str) -> Key:
    # One per referred company: the key is what makes it one.
    return key(_pk(program, "REF", referred_account), META)


def referrals_index(program: str) -> str:
    return _pk(program, "REFERRALS")


def referral_cap(program: str, advocate_id: str, month: str) -> Key:
    return key(_pk(program, "M", advocate_id), f"REFCAP#{month}")


def translations(program: str) -> str:
    """Every translation of a program in one partition, read whole (a program has
    hundreds of named things, not millions)."""
    return _pk(program, "TEXTS")


def translation(program: str, subject: str, subject_id: str) -> Key:
    return key(translations(program), f"{subject}#{subject_id}")


def language_setting(program: str) -> Key:
    return key(translations(program), "#DEFAULT")


def budget(program: str, budget_id: str) -> Key:
    return key(_pk(program, "BUDGET", budget_id), META)


def budgets_index(program: str) -> str:
    return _pk(program, "BUDGETS")


def budget_shard(program: str, budget_id: str, period: str, shard: int) -> Key:
    """One shard of a period's money: each its own partition, so a flash campaign spreads
    its debits over many (ADR 0009)."""
    return key(_pk(program, "BUDGET", budget_id, period, str(shard)), "LEFT")


def budget_change(program: str, budget_id: str, at: str, change_id: str) -> Key:
    return key(_pk(program, "BUDGET", budget_id), f"CHANGE#{at}#{change_id}")


def budget_alerts(program: str, budget_id: str) -> str:
    """Its own partition: the outbox publisher, which writes them, may write nothing else
    of a budget (template.yaml)."""
    return _pk(program, "BALERT", budget_id)


def budget_alert(program: str, budget_id: str, period: str, percent: int) -> Key:
    return key(budget_alerts(program, budget_id), f"{period}#{percent:03d}")


def operations(program: str) -> str:
    """A program's published manifests, their documents and the allowlist setting."""
    return _pk(program, "OPS")


def operation_manifest(program: str, version: str) -> Key:
    return key(operations(program), f"MANIFEST#{version}")


def operation_document(program: str, digest: str) -> Key:
    return key(operations(program), f"DOC#{digest}")


def operation_allowlist(program: str) -> Key:
    return key(operations(program), "ALLOWLIST")


def pack_batch(program: str, batch_id: str) -> Key:
    return key(_pk(program, "PACKBATCH", batch_id), META)


def pack_batches(program: str) -> str:
    """The program's pack-code batches, newest first (GSI1)."""
    return _pk(program, "PACKBATCHES")


def pack_batch_stat(program: str, batch_id: str, shard: int) -> Key:
    """Claims counted on shards, so a popular batch's scans spread over items."""
    return key(_pk(program, "PACKBATCH", batch_id, "STAT", str(shard)), "STAT")


def pack_code(program: str, lookup: str) -> Key:
    # Keyed by the code's HMAC: the table never holds a pack code itself.
    return key(_pk(program, "PACK", lookup), "CODE")


def pack_guesses(program: str, who: str) -> Key:
    """Failed pack-code claims of a member or a company ("M#<id>", "A#<id>"), per minute."""
    return key(_pk(program, "PACKGUESS", who), "MINUTE")


def claim(program: str, claim_id: str) -> Key:
    return key(_pk(program, "CLAIM", claim_id), META)


def claim_document(program: str, document: str) -> Key:
    """An invoice, once per program (domain/claims: seller tax id and number, hashed)."""
    return key(_pk(program, "CLAIMDOC", document), "DOC")


def claim_queue(program: str) -> str:
    """The claims waiting for a reviewer, oldest first (sort key: waiting since, id)."""
    return _pk(program, "CLAIMQ")


def member_claims(program: str, member_id: str) -> str:
    return _pk(program, "MCLAIMS", member_id)


def seller_claims(program: str, tax_id: str) -> str:
    """A seller's claimed invoices by date and amount: the reviewer's near-duplicates."""
    return _pk(program, "SELLER", tax_id)


def claim_rules(program: str) -> Key:
    return key(_pk(program, "CLAIMRULES"), META)


def rep(program: str, rep_id: str) -> Key:
    return key(_pk(program, "REP", rep_id), META)


def rep_award(program: str, award_id: str) -> Key:
    return key(_pk(program, "REPAWARD", award_id), META)


def rep_awards(program: str, rep_id: str) -> str:
    """A rep's awards, newest first (GSI1)."""
    return _pk(program, "REPAWARDS", rep_id)


def rep_cap(program: str, who: str, period: str) -> Key:
    """Points a rep gave ("R#<rep>"), or a member was given by reps ("M#<member>"), in one
    period of the rep's budget."""
    return key(_pk(program, "REPCAP", who, period), "CAP")


def account_children(program: str, parent_id: str) -> str:
    """The accounts under one (GSI2, by when they joined it)."""
    return _pk(program, "CHILDREN", parent_id)


def account_moves(program: str, account_id: str) -> str:
    return _pk(program, "A", account_id, "MOVES")


def distributor_staff(program: str, staff_id: str) -> Key:
    """Which account a distributor's staff member reads the subtree of."""
    return key(_pk(program, "DSTAFF", staff_id), META)
