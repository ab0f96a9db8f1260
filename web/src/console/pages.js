// The console's pages. A new feature adds its page here: a path (":name" parts become
// params), the section it belongs to, its title's catalogue key, and, for a menu entry, the
// path the menu opens.
import { Budgets } from "./budgets.jsx";
import { Claims } from "./claims.jsx";
import { CampaignDetail, CampaignForm, CampaignList } from "./campaigns.jsx";
import { PackCodes } from "./pack_codes.jsx";
import { Reports } from "./report_jobs.jsx";
import { AccountList, MemberDetail, MemberList } from "./people.jsx";
import { EventList, QuestList, ReferralList, SurveyList, TierLadder } from "./programs.jsx";
import { Translations } from "./translations.jsx";
import { VoucherLookup, Vouchers } from "./vouchers.jsx";

export const PAGES = [
  { path: "/campaigns", section: "campaigns", title: "page.campaigns", menu: "/campaigns", component: CampaignList },
  { path: "/campaigns/new", section: "campaigns", title: "page.newCampaign", component: CampaignForm },
  { path: "/campaigns/:id/edit", section: "campaigns", title: "page.editCampaign", component: CampaignForm },
  { path: "/campaigns/:id", section: "campaigns", title: "page.campaign", component: CampaignDetail },
  { path: "/vouchers", section: "vouchers", title: "page.vouchers", menu: "/vouchers", component: Vouchers },
  { path: "/vouchers/lookup", section: "vouchers", title: "page.findVoucher", component: VoucherLookup },
  { path: "/vouchers/:id", section: "vouchers", title: "page.voucher", component: VoucherLookup },
  { path: "/members", section: "members", title: "page.members", menu: "/members", component: MemberList },
  { path: "/members/:id", section: "members", title: "page.member", component: MemberDetail },
  { path: "/accounts", section: "accounts", title: "page.accounts", menu: "/accounts", component: AccountList },
  { path: "/tiers", section: "tiers", title: "page.tiers", menu: "/tiers", component: TierLadder },
  { path: "/quests", section: "quests", title: "page.quests", menu: "/quests", component: QuestList },
  { path: "/events", section: "events", title: "page.events", menu: "/events", component: EventList },
  { path: "/surveys", section: "surveys", title: "page.surveys", menu: "/surveys", component: SurveyList },
  { path: "/referrals", section: "referrals", title: "page.referrals", menu: "/referrals", component: ReferralList },
  { path: "/pack-codes", section: "packs", title: "page.packs", menu: "/pack-codes", component: PackCodes },
  { path: "/claims", section: "claims", title: "page.claims", menu: "/claims", component: Claims },
  { path: "/budgets", section: "budgets", title: "page.budgets", menu: "/budgets", component: Budgets },
  { path: "/reports", section: "reports", title: "page.reports", menu: "/reports", component: Reports },
  { path: "/translations", section: "translations", title: "page.translations", menu: "/translations", component: Translations },
];

export function route(hash) {
  const path = hash.replace(/^#/, "") || "/campaigns";
  for (const page of PAGES) {
    const names = [];
    const pattern = new RegExp("^" + page.path.replace(/:(\w+)/g, (_, n) => { names.push(n); return "([^/]+)"; }) + "$");
    const match = path.match(pattern);
    if (match) {
      return { page, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1])])) };
    }
  }
  return { page: PAGES[0], params: {} };
}
