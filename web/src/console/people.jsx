import { useEffect, useState } from "preact/hooks";
import { money, t, when, word } from "../shared/i18n.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

const MEMBERS = `query($after: String) { members(first: 100, after: $after) {
  nodes { id accountId tier tierInForce } pageInfo { hasNextPage endCursor } } }`;
const MEMBER = `query($id: String!) { member(id: $id) { id accountId tier
  vouchers(first: 50) { nodes { id status balance expiresAt product { name kind currency } } }
  spins(first: 50) { nodes { id campaignId createdAt outcome prize { name } } }
  registrations(first: 50) { nodes { eventId status acceptedAt position } }
  quests { id name progressStatus } }
  memberStanding(memberId: $id) { tier points { balance lifetimeEarned pending }
    tierProgress { period value nextTier needed } } }`;
const ACCOUNTS = `{ accounts(first: 100) { nodes { id name giftPolicy } } }`;

export function MemberList({ call }) {
  const [rows, setRows] = useState([]);
  const [next, setNext] = useState(undefined); // undefined: first page not read yet
  const [error, setError] = useState(null);
  const more = (after) => call(MEMBERS, { after }).then((d) => {
    setRows((r) => [...r, ...d.members.nodes]);
    setNext(d.members.pageInfo.hasNextPage ? d.members.pageInfo.endCursor : null);
  }).catch(setError);
  useEffect(() => { more(null); }, []);
  return (
    <section class="card">
      <h2>{t("members.title")}</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>{t("members.member")}</th><th>{t("members.company")}</th><th>{t("members.tier")}</th></tr></thead>
        <tbody>{rows.map((m) => (
          <tr key={m.id}><td><a href={`#/members/${encodeURIComponent(m.id)}`}>{m.id}</a></td>
            <td>{m.accountId || "—"}</td><td data-testid={`tier-${m.id}`}>{m.tierInForce}</td></tr>
        ))}</tbody>
      </table></div>
      {next && <button class="wide" onClick={() => more(next)}>{t("members.more")}</button>}
    </section>
  );
}

export function MemberDetail({ call, params }) {
  const { data, error } = useQuery(call, MEMBER, { id: params.id });
  const m = data && data.member;
  const s = data && data.memberStanding;
  if (!m) return <section class="card"><Problem error={error} />{data && <p>{t("members.notFound", { id: params.id })}</p>}</section>;
  return (
    <>
      <section class="card">
        <h2>{m.id}</h2>
        <dl class="facts">
          <dt>{t("members.company")}</dt><dd>{m.accountId || t("members.noCompany")}</dd>
          <dt>{t("members.tier")}</dt><dd>{s ? s.tier : m.tier}</dd>
          {s && <><dt>{t("members.points")}</dt><dd>{t("members.pointsDetail", { balance: s.points.balance, pending: s.points.pending, earned: s.points.lifetimeEarned })}</dd></>}
          {s && s.tierProgress && <><dt>{t("members.progress")}</dt><dd>{s.tierProgress.nextTier
            ? t("members.progressTo", { value: s.tierProgress.value, period: s.tierProgress.period, needed: s.tierProgress.needed, next: s.tierProgress.nextTier })
            : t("members.progressIn", { value: s.tierProgress.value, period: s.tierProgress.period })}</dd></>}
        </dl>
      </section>
      <div class="grid">
        <section class="card"><h3>{t("members.vouchers")}</h3>
          <div class="table-wrap"><table><tbody>{m.vouchers.nodes.map((v) => (
            <tr key={v.id}><td><a href={`#/vouchers/${encodeURIComponent(v.id)}`}>{v.id}</a><div class="muted">{v.product.name}</div></td>
              <td><Badge value={v.status} group="voucherStatus" /></td>
              <td class="num">{v.product.kind === "AMOUNT" ? money(v.balance, v.product.currency) : v.balance}</td></tr>
          ))}</tbody></table></div>
          {!m.vouchers.nodes.length && <p class="muted">{t("common.none")}</p>}
        </section>
        <section class="card"><h3>{t("members.spins")}</h3>
          <div class="table-wrap"><table><tbody>{m.spins.nodes.map((x) => (
            <tr key={x.id}><td>{when(x.createdAt)}</td><td>{x.campaignId}</td><td>{x.prize ? x.prize.name : word("spinOutcome", x.outcome)}</td></tr>
          ))}</tbody></table></div>
          {!m.spins.nodes.length && <p class="muted">{t("common.none")}</p>}
        </section>
        <section class="card"><h3>{t("members.quests")}</h3>
          <div class="table-wrap"><table><tbody>{m.quests.map((q) => (
            <tr key={q.id}><td>{q.name}</td><td><Badge value={q.progressStatus} group="questProgress" /></td></tr>
          ))}</tbody></table></div>
          {!m.quests.length && <p class="muted">{t("members.noQuests")}</p>}
        </section>
        <section class="card"><h3>{t("members.registrations")}</h3>
          <div class="table-wrap"><table><tbody>{m.registrations.nodes.map((r) => (
            <tr key={r.eventId}><td>{r.eventId}</td><td><Badge value={r.status} group="registrationStatus" /></td><td>{when(r.acceptedAt)}</td></tr>
          ))}</tbody></table></div>
          {!m.registrations.nodes.length && <p class="muted">{t("common.none")}</p>}
        </section>
      </div>
    </>
  );
}

export function AccountList({ call }) {
  const { data, error } = useQuery(call, ACCOUNTS);
  return (
    <section class="card">
      <h2>{t("accounts.title")}</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>{t("members.company")}</th><th>{t("accounts.gifts")}</th></tr></thead>
        <tbody>{(data ? data.accounts.nodes : []).map((a) => (
          <tr key={a.id}><td>{a.name}<div class="muted">{a.id}</div></td>
            <td>{a.giftPolicy === "DECLINES" ? t("accounts.declines") : t("accounts.accepts")}</td></tr>
        ))}</tbody>
      </table></div>
    </section>
  );
}
