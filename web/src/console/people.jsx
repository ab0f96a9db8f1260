import { useEffect, useState } from "preact/hooks";
import { money, when } from "../shared/api.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

const MEMBERS = `query($after: String) { members(first: 100, after: $after) {
  nodes { id accountId tier } pageInfo { hasNextPage endCursor } } }`;
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
      <h2>Members</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>Member</th><th>Company</th><th>Tier</th></tr></thead>
        <tbody>{rows.map((m) => (
          <tr key={m.id}><td><a href={`#/members/${encodeURIComponent(m.id)}`}>{m.id}</a></td>
            <td>{m.accountId || "—"}</td><td>{m.tier}</td></tr>
        ))}</tbody>
      </table></div>
      {next && <button class="wide" onClick={() => more(next)}>More members</button>}
    </section>
  );
}

export function MemberDetail({ call, params }) {
  const { data, error } = useQuery(call, MEMBER, { id: params.id });
  const m = data && data.member;
  const s = data && data.memberStanding;
  if (!m) return <section class="card"><Problem error={error} />{data && <p>No member {params.id}.</p>}</section>;
  return (
    <>
      <section class="card">
        <h2>{m.id}</h2>
        <dl class="facts">
          <dt>Company</dt><dd>{m.accountId || "none"}</dd>
          <dt>Tier</dt><dd>{s ? s.tier : m.tier}</dd>
          {s && <><dt>Points</dt><dd>{s.points.balance} ({s.points.pending} pending, {s.points.lifetimeEarned} earned in all)</dd></>}
          {s && s.tierProgress && <><dt>Progress</dt><dd>{s.tierProgress.value} in {s.tierProgress.period}{s.tierProgress.nextTier ? `, ${s.tierProgress.needed} to ${s.tierProgress.nextTier}` : ""}</dd></>}
        </dl>
      </section>
      <div class="grid">
        <section class="card"><h3>Vouchers</h3>
          <table><tbody>{m.vouchers.nodes.map((v) => (
            <tr key={v.id}><td><a href={`#/vouchers/${encodeURIComponent(v.id)}`}>{v.id}</a><div class="muted">{v.product.name}</div></td>
              <td><Badge value={v.status} /></td>
              <td>{v.product.kind === "AMOUNT" ? money(v.balance, v.product.currency) : v.balance}</td></tr>
          ))}</tbody></table>
          {!m.vouchers.nodes.length && <p class="muted">None.</p>}
        </section>
        <section class="card"><h3>Spins</h3>
          <table><tbody>{m.spins.nodes.map((x) => (
            <tr key={x.id}><td>{when(x.createdAt)}</td><td>{x.campaignId}</td><td>{x.prize ? x.prize.name : x.outcome}</td></tr>
          ))}</tbody></table>
          {!m.spins.nodes.length && <p class="muted">None.</p>}
        </section>
        <section class="card"><h3>Quests</h3>
          <table><tbody>{m.quests.map((q) => (
            <tr key={q.id}><td>{q.name}</td><td><Badge value={q.progressStatus} /></td></tr>
          ))}</tbody></table>
          {!m.quests.length && <p class="muted">None open.</p>}
        </section>
        <section class="card"><h3>Event registrations</h3>
          <table><tbody>{m.registrations.nodes.map((r) => (
            <tr key={r.eventId}><td>{r.eventId}</td><td><Badge value={r.status} /></td><td>{when(r.acceptedAt)}</td></tr>
          ))}</tbody></table>
          {!m.registrations.nodes.length && <p class="muted">None.</p>}
        </section>
      </div>
    </>
  );
}

export function AccountList({ call }) {
  const { data, error } = useQuery(call, ACCOUNTS);
  return (
    <section class="card">
      <h2>Accounts</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>Company</th><th>Personal gifts</th></tr></thead>
        <tbody>{(data ? data.accounts.nodes : []).map((a) => (
          <tr key={a.id}><td>{a.name}<div class="muted">{a.id}</div></td>
            <td>{a.giftPolicy === "DECLINES" ? "Declined: staff win no personal gifts" : "Accepted"}</td></tr>
        ))}</tbody>
      </table></div>
    </section>
  );
}
