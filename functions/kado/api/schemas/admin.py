"""The admin API: marketing and partner back ends define and run the program."""

from __future__ import annotations

import strawberry

from kado.api.budgets import AdminBudgetsMutation, AdminBudgetsQuery
from kado.api.campaigns.admin import AdminCampaignsMutation, AdminCampaignsQuery
from kado.api.claims import AdminClaimsMutation, AdminClaimsQuery
from kado.api.directory import AdminDirectoryQuery
from kado.api.events import AdminEventsMutation, AdminEventsQuery
from kado.api.kernel.app import build_schema
from kado.api.loyalty.admin import PointsMutation, PointsQuery
from kado.api.loyalty.liability import LiabilityQuery
from kado.api.loyalty.statement_links import AdminStatementLinksMutation, AdminStatementLinksQuery
from kado.api.loyalty.trends import TrendsQuery
from kado.api.members import AdminAccountsQuery, AdminMembersMutation
from kado.api.operations import AdminOperationsMutation, AdminOperationsQuery
from kado.api.pack_codes import AdminPackCodesMutation, AdminPackCodesQuery
from kado.api.quests import AdminQuestsMutation, AdminQuestsQuery
from kado.api.referrals import AdminReferralsMutation, AdminReferralsQuery
from kado.api.reports import AdminReportsMutation, AdminReportsQuery
from kado.api.reps import AdminRepsMutation, AdminRepsQuery
from kado.api.surveys import AdminSurveysMutation, AdminSurveysQuery
from kado.api.translations import AdminTranslationsMutation, AdminTranslationsQuery
from kado.api.vouchers.admin import VoucherMutation, VoucherQuery


@strawberry.type
class Query(AdminCampaignsQuery, AdminAccountsQuery, VoucherQuery, PointsQuery,
            AdminEventsQuery, AdminQuestsQuery, AdminSurveysQuery, AdminReferralsQuery,
            AdminDirectoryQuery, AdminTranslationsQuery, AdminBudgetsQuery, LiabilityQuery,
            AdminOperationsQuery, TrendsQuery, AdminPackCodesQuery, AdminClaimsQuery,
            AdminRepsQuery, AdminReportsQuery, AdminStatementLinksQuery):
    pass


@strawberry.type
class Mutation(AdminCampaignsMutation, AdminMembersMutation, VoucherMutation, PointsMutation,
               AdminEventsMutation, AdminQuestsMutation, AdminSurveysMutation,
               AdminReferralsMutation, AdminTranslationsMutation, AdminBudgetsMutation,
               AdminOperationsMutation, AdminPackCodesMutation, AdminClaimsMutation,
               AdminRepsMutation, AdminReportsMutation, AdminStatementLinksMutation):
    pass


schema = build_schema(Query, Mutation)
