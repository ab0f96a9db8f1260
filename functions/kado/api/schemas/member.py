"""The member API: what partner mobile apps call on behalf of a signed-in member.

The schema is composed from the features' member mixins; what a member may not see is not
in it.
"""

from __future__ import annotations

import strawberry

from kado.api.campaigns.member import MemberCampaignsMutation, MemberCampaignsQuery
from kado.api.claims import MemberClaimsMutation, MemberClaimsQuery
from kado.api.events import MemberEventsMutation, MemberEventsQuery
from kado.api.kernel.app import PublicPage, build_schema
from kado.api.loyalty.member import MemberLoyaltyMutation, MemberLoyaltyQuery
from kado.api.loyalty.statement_links import PATH, MemberStatementLinksQuery, open_statement
from kado.api.members import MemberQuery
from kado.api.pack_codes import MemberPackCodesMutation
from kado.api.quests import MemberQuestsMutation, MemberQuestsQuery
from kado.api.referrals import MemberReferralsQuery
from kado.api.surveys import MemberSurveysMutation, MemberSurveysQuery
from kado.api.vouchers.member import MemberVouchersQuery


@strawberry.type
class Query(MemberQuery, MemberCampaignsQuery, MemberVouchersQuery, MemberLoyaltyQuery,
            MemberStatementLinksQuery,
            MemberEventsQuery, MemberQuestsQuery, MemberSurveysQuery, MemberReferralsQuery,
            MemberClaimsQuery):
    pass


@strawberry.type
class Mutation(MemberCampaignsMutation, MemberLoyaltyMutation, MemberEventsMutation,
               MemberQuestsMutation, MemberSurveysMutation, MemberPackCodesMutation,
               MemberClaimsMutation):
    pass


schema = build_schema(Query, Mutation)
# Served by GET on the member API's host, to anyone with the link.
PAGES: dict[str, PublicPage] = {PATH: open_statement}
