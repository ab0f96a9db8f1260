// The console's pages. A new feature adds its page here: a path (":name" parts become
// params), the section it belongs to, and, for a menu entry, the path the menu opens.
import { CampaignDetail, CampaignForm, CampaignList } from "./campaigns.jsx";
import { AccountList, MemberDetail, MemberList } from "./people.jsx";
import { EventList, QuestList, ReferralList, SurveyList, TierLadder } from "./programs.jsx";
import { VoucherLookup, Vouchers } from "./vouchers.jsx";

export const PAGES = [
  { path: "/campaigns", section: "campaigns", title: "Campaigns", menu: "/campaigns", component: CampaignList },
  { path: "/campaigns/new", section: "campaigns", title: "New campaign", component: CampaignForm },
  { path: "/campaigns/:id/edit", section: "campaigns", title: "Edit campaign", component: CampaignForm },
  { path: "/campaigns/:id", section: "campaigns", title: "Campaign", component: CampaignDetail },
  { path: "/vouchers", section: "vouchers", title: "Vouchers", menu: "/vouchers", component: Vouchers },
  { path: "/vouchers/lookup", section: "vouchers", title: "Find a voucher", component: VoucherLookup },
  { path: "/vouchers/:id", section: "vouchers", title: "Voucher", component: VoucherLookup },
  { path: "/members", section: "members", title: "Members", menu: "/members", component: MemberList },
  { path: "/members/:id", section: "members", title: "Member", component: MemberDetail },
  { path: "/accounts", section: "accounts", title: "Accounts", menu: "/accounts", component: AccountList },
  { path: "/tiers", section: "tiers", title: "Tiers", menu: "/tiers", component: TierLadder },
  { path: "/quests", section: "quests", title: "Quests", menu: "/quests", component: QuestList },
  { path: "/events", section: "events", title: "Events", menu: "/events", component: EventList },
  { path: "/surveys", section: "surveys", title: "Surveys", menu: "/surveys", component: SurveyList },
  { path: "/referrals", section: "referrals", title: "Referrals", menu: "/referrals", component: ReferralList },
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
