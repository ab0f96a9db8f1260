import { useEffect, useState } from "preact/hooks";
import { payload, when } from "../shared/api.js";
import { Badge, DayChart, Field, Problem, useQuery } from "./ui.jsx";

const LIST = `{ campaigns(first: 100) { nodes { id name status startsAt endsAt stats { spins wins } } } }`;
const DETAIL = `query($id: ID!) { campaign(id: $id) { id name status startsAt endsAt timezone
  costPoints requiresCredit serverSeedHash limits { perMemberPerDay perMemberTotal }
  eligibility { tiers accountIds memberIds }
  prizes { id name kind weight probability limitedStock productId }
  odds { totalWeight outOfStockRule drawRule }
  stats { spins wins outOfStock prizes { prizeId awarded stockLeft stock }
    days(last: 30) { day spins wins outOfStock players refusals { reason count } } } } }`;
const UPSERT = `mutation($i: CampaignInput!) { upsertCampaign(input: $i) {
  campaign { id status } errors { code message field } } }`;
const MOVES = {
  launch: ["launchCampaign", "Launch this campaign? Members can spin at once, and its odds are frozen."],
  pause: ["pauseCampaign", "Pause this campaign? Spins are refused until you launch it again."],
  end: ["endCampaign", "End this campaign for good? Its seed is revealed and no one can spin again."],
};

export function CampaignList({ call }) {
  const { data, error } = useQuery(call, LIST);
  return (
    <section class="card">
      <div class="row"><h2>Campaigns</h2><a href="#/campaigns/new"><button class="primary">New campaign</button></a></div>
      <Problem error={error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>Campaign</th><th>Status</th><th>Runs</th><th>Spins</th><th>Wins</th></tr></thead>
          <tbody>
            {(data ? data.campaigns.nodes : []).map((c) => (
              <tr key={c.id}>
                <td><a href={`#/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a><div class="muted">{c.id}</div></td>
                <td><Badge value={c.status} /></td>
                <td>{when(c.startsAt)} – {when(c.endsAt)}</td>
                <td>{c.stats.spins}</td><td>{c.stats.wins}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && !data.campaigns.nodes.length && <p class="muted">No campaigns yet.</p>}
    </section>
  );
}

export function CampaignDetail({ call, params }) {
  const { data, error, reload } = useQuery(call, DETAIL, { id: params.id }, 5000);
  const [moveError, setMoveError] = useState(null);
  const c = data && data.campaign;
  async function move(name) {
    const [mutation, question] = MOVES[name];
    if (!confirm(question)) return;
    try {
      payload((await call(`mutation($id: ID!) { ${mutation}(id: $id) { campaign { id status }
        errors { code message field } } }`, { id: c.id }))[mutation]);
      setMoveError(null);
      reload();
    } catch (failure) {
      setMoveError(failure);
    }
  }
  if (!c) return <section class="card"><Problem error={error} />{data && <p>No campaign {params.id}.</p>}</section>;
  const today = c.stats.days.length ? c.stats.days[c.stats.days.length - 1] : null;
  const refusals = {};
  for (const d of c.stats.days) for (const r of d.refusals) refusals[r.reason] = (refusals[r.reason] || 0) + r.count;
  return (
    <>
      <section class="card">
        <div class="row">
          <h2>{c.name} <Badge value={c.status} /></h2>
          <a href={`#/campaigns/${encodeURIComponent(c.id)}/edit`}><button>Edit</button></a>
          {(c.status === "DRAFT" || c.status === "PAUSED") && <button class="primary" onClick={() => move("launch")}>Launch</button>}
          {c.status === "LIVE" && <button onClick={() => move("pause")}>Pause</button>}
          {c.status !== "ENDED" && c.status !== "DRAFT" && <button class="danger" onClick={() => move("end")}>End</button>}
        </div>
        <Problem error={moveError || error} />
        <p class="muted">{c.id} · {when(c.startsAt)} – {when(c.endsAt)} ({c.timezone})</p>
        <div class="grid">
          <div><div class="muted">Spins</div><div class="big" data-testid="spins">{c.stats.spins}</div></div>
          <div><div class="muted">Wins</div><div class="big" data-testid="wins">{c.stats.wins}</div></div>
          <div><div class="muted">Players today</div><div class="big" data-testid="players">{today ? today.players : 0}</div></div>
          <div><div class="muted">Out of stock</div><div class="big">{c.stats.outOfStock}</div></div>
        </div>
      </section>
      <div class="grid">
        <section class="card">
          <h3>Spins and wins per day</h3>
          <DayChart days={c.stats.days} />
          <table>
            <thead><tr><th>Day</th><th>Spins</th><th>Wins</th><th>Players</th></tr></thead>
            <tbody>{c.stats.days.slice(-7).reverse().map((d) => (
              <tr key={d.day}><td>{d.day}</td><td>{d.spins}</td><td>{d.wins}</td><td>{d.players}</td></tr>
            ))}</tbody>
          </table>
        </section>
        <section class="card">
          <h3>Published odds</h3>
          <table>
            <thead><tr><th>Prize</th><th>Chance</th><th>Won</th><th>Stock left</th></tr></thead>
            <tbody>{c.prizes.map((p) => {
              const s = c.stats.prizes.find((x) => x.prizeId === p.id) || {};
              return (
                <tr key={p.id}>
                  <td>{p.name}<div class="muted">{p.kind}{p.productId ? ` · ${p.productId}` : ""}</div></td>
                  <td>{(p.probability * 100).toFixed(2)} %</td>
                  <td>{s.awarded || 0}</td>
                  <td>{p.limitedStock ? s.stockLeft : "unlimited"}</td>
                </tr>
              );
            })}</tbody>
          </table>
          <p class="muted">{c.odds.drawRule} {c.odds.outOfStockRule}</p>
        </section>
        <section class="card">
          <h3>Refused spins, by reason</h3>
          {Object.keys(refusals).length === 0 ? <p class="muted">None.</p> : (
            <table><tbody>{Object.entries(refusals).map(([reason, count]) => (
              <tr key={reason}><td>{reason}</td><td>{count}</td></tr>
            ))}</tbody></table>
          )}
        </section>
      </div>
    </>
  );
}

const EMPTY_PRIZE = { id: "", name: "", kind: "ITEM", weight: "1", stock: "", productId: "" };

function localInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function draft(c) {
  const now = new Date();
  if (!c) {
    return { id: "", name: "", timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
      startsAt: localInput(now.toISOString()), endsAt: localInput(new Date(now.getTime() + 14 * 864e5).toISOString()),
      perMemberPerDay: "", perMemberTotal: "", costPoints: "", tiers: "", accountIds: "",
      memberIds: "", prizes: [{ ...EMPTY_PRIZE }], existing: false };
  }
  return { id: c.id, name: c.name, timezone: c.timezone, startsAt: localInput(c.startsAt),
    endsAt: localInput(c.endsAt), original: { startsAt: c.startsAt, endsAt: c.endsAt },
    perMemberPerDay: c.limits.perMemberPerDay ?? "",
    perMemberTotal: c.limits.perMemberTotal ?? "", costPoints: c.costPoints ?? "",
    tiers: c.eligibility.tiers.join(", "), accountIds: c.eligibility.accountIds.join(", "),
    memberIds: c.eligibility.memberIds.join(", "), requiresCredit: c.requiresCredit,
    prizes: c.prizes.map((p) => {
      const s = c.stats.prizes.find((x) => x.prizeId === p.id) || {};
      return { id: p.id, name: p.name, kind: p.kind, weight: String(p.weight),
        stock: p.limitedStock ? String(s.stock ?? "") : "", productId: p.productId || "" };
    }), existing: true };
}

const list = (text) => (text || "").split(/[\s,]+/).filter(Boolean);
const number = (text) => (text === "" || text === null || text === undefined ? null : Number(text));

/** A time field as the API wants it; one left untouched keeps its exact stored instant (a
 * live campaign's start is frozen to the second, finer than the field shows). */
function instant(f, name) {
  if (f.original && localInput(f.original[name]) === f[name]) return f.original[name];
  return f[name] ? new Date(f[name]).toISOString() : "";
}

/** The same CampaignInput `kado campaign apply` sends: the API validates both alike. */
export function toInput(f) {
  return {
    id: f.id.trim(), name: f.name.trim(), timezone: f.timezone.trim(),
    startsAt: instant(f, "startsAt"), endsAt: instant(f, "endsAt"),
    limits: { perMemberPerDay: number(f.perMemberPerDay), perMemberTotal: number(f.perMemberTotal) },
    costPoints: number(f.costPoints),
    eligibility: { tiers: list(f.tiers), accountIds: list(f.accountIds), memberIds: list(f.memberIds) },
    requiresCredit: !!f.requiresCredit,
    prizes: f.prizes.map((p) => ({ id: p.id.trim(), name: p.name.trim(), kind: p.kind,
      weight: number(p.weight) ?? 0, stock: number(p.stock), productId: p.productId.trim() || null })),
  };
}

export function CampaignForm({ call, params }) {
  const [form, setForm] = useState(null);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!params.id) { setForm(draft(null)); return; }
    call(DETAIL, { id: params.id }).then((d) => setForm(draft(d.campaign))).catch(setFailure);
  }, [params.id]);
  if (!form) return <section class="card"><Problem error={failure} /><p>Loading…</p></section>;
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const setPrize = (i, name) => (e) => setForm({ ...form, prizes: form.prizes.map((p, j) =>
    (j === i ? { ...p, [name]: e.currentTarget.value } : p)) });
  async function save(e) {
    e.preventDefault();
    setSaving(true); setFailure(null);
    try {
      const result = (await call(UPSERT, { i: toInput(form) })).upsertCampaign;
      if (result.errors.length) {
        setErrors(Object.fromEntries(result.errors.map((x) => [x.field || "_", x.message])));
      } else {
        location.hash = `#/campaigns/${encodeURIComponent(result.campaign.id)}`;
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }
  const shown = new Set(["id", "name", "timezone", "startsAt", "endsAt", "limits.perMemberPerDay",
    "limits.perMemberTotal", "costPoints", "prizes",
    ...form.prizes.flatMap((_, i) => ["id", "name", "kind", "weight", "stock", "productId"].map((n) => `prizes[${i}].${n}`))]);
  // A list's error names its entry (eligibility.accountIds[2]): shown under the list's field.
  const listErrors = Object.fromEntries(Object.entries(errors)
    .filter(([path]) => path.startsWith("eligibility."))
    .map(([path, message]) => [path.replace(/\[\d+\]$/, ""), message]));
  const others = Object.entries(errors).filter(([path]) => !shown.has(path) &&
    !path.startsWith("eligibility."));
  const weights = form.prizes.map((p) => Math.max(0, Number(p.weight) || 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return (
    <form class="card" onSubmit={save} noValidate>
      <h2>{form.existing ? `Edit ${form.name}` : "New campaign"}</h2>
      <Problem error={failure} />
      {Object.keys(errors).length > 0 && <p class="error" role="alert">Fix the fields marked below.</p>}
      {others.map(([path, message]) => <p key={path} class="field-error">{path}: {message}</p>)}
      <div class="grid">
        <Field label="Id" path="id" errors={errors}>
          <input id="id" value={form.id} onInput={set("id")} disabled={form.existing} />
        </Field>
        <Field label="Name" path="name" errors={errors}><input id="name" value={form.name} onInput={set("name")} /></Field>
        <Field label="Timezone" path="timezone" errors={errors}><input id="timezone" value={form.timezone} onInput={set("timezone")} /></Field>
        <Field label="Starts" path="startsAt" errors={errors}><input id="startsAt" type="datetime-local" value={form.startsAt} onInput={set("startsAt")} /></Field>
        <Field label="Ends" path="endsAt" errors={errors}><input id="endsAt" type="datetime-local" value={form.endsAt} onInput={set("endsAt")} /></Field>
        <Field label="Spins per member per day" path="limits.perMemberPerDay" errors={errors}>
          <input id="limits.perMemberPerDay" inputmode="numeric" value={form.perMemberPerDay} onInput={set("perMemberPerDay")} placeholder="no limit" />
        </Field>
        <Field label="Spins per member in all" path="limits.perMemberTotal" errors={errors}>
          <input id="limits.perMemberTotal" inputmode="numeric" value={form.perMemberTotal} onInput={set("perMemberTotal")} placeholder="no limit" />
        </Field>
        <Field label="Points per spin" path="costPoints" errors={errors}>
          <input id="costPoints" inputmode="numeric" value={form.costPoints} onInput={set("costPoints")} placeholder="free" />
        </Field>
      </div>
      <h3>Who may spin</h3>
      <p class="hint">Empty lists let everyone spin. Ids separated by commas.</p>
      <div class="grid">
        <Field label="Tiers" path="eligibility.tiers" errors={listErrors}>
          <input id="eligibility.tiers" value={form.tiers} onInput={set("tiers")} placeholder="any tier" />
        </Field>
        <Field label="Companies (account ids)" path="eligibility.accountIds" errors={listErrors}>
          <input id="eligibility.accountIds" value={form.accountIds} onInput={set("accountIds")} placeholder="any company" />
        </Field>
        <Field label="Members" path="eligibility.memberIds" errors={listErrors}>
          <input id="eligibility.memberIds" value={form.memberIds} onInput={set("memberIds")} placeholder="any member" />
        </Field>
      </div>
      <h3>Prizes</h3>
      {errors.prizes && <div class="field-error">{errors.prizes}</div>}
      {form.prizes.map((p, i) => (
        <fieldset class="card" key={i}>
          <div class="grid">
            <Field label="Prize id" path={`prizes[${i}].id`} errors={errors}><input id={`prizes[${i}].id`} value={p.id} onInput={setPrize(i, "id")} /></Field>
            <Field label="Name" path={`prizes[${i}].name`} errors={errors}><input id={`prizes[${i}].name`} value={p.name} onInput={setPrize(i, "name")} /></Field>
            <Field label="Kind" path={`prizes[${i}].kind`} errors={errors}>
              <select id={`prizes[${i}].kind`} value={p.kind} onChange={setPrize(i, "kind")}>
                <option value="ITEM">Item</option><option value="VOUCHER">Voucher</option><option value="NONE">No prize</option>
              </select>
            </Field>
            <Field label="Weight" path={`prizes[${i}].weight`} errors={errors}><input id={`prizes[${i}].weight`} inputmode="numeric" value={p.weight} onInput={setPrize(i, "weight")} />
              <div class="muted" data-testid={`odds-${i}`}>{total ? `${((100 * weights[i]) / total).toFixed(2)} % of spins` : ""}</div></Field>
            <Field label="Stock" path={`prizes[${i}].stock`} errors={errors}><input id={`prizes[${i}].stock`} inputmode="numeric" value={p.stock} onInput={setPrize(i, "stock")} placeholder="unlimited" /></Field>
            <Field label="Voucher product" path={`prizes[${i}].productId`} errors={errors}><input id={`prizes[${i}].productId`} value={p.productId} onInput={setPrize(i, "productId")} placeholder="for a voucher prize" /></Field>
          </div>
          {form.prizes.length > 1 && <button type="button" onClick={() => setForm({ ...form, prizes: form.prizes.filter((_, j) => j !== i) })}>Remove prize</button>}
        </fieldset>
      ))}
      <div class="row">
        <button type="button" onClick={() => setForm({ ...form, prizes: [...form.prizes, { ...EMPTY_PRIZE }] })}>Add a prize</button>
        <button class="primary" type="submit" disabled={saving}>{saving ? "Saving…" : "Save"}</button>
      </div>
    </form>
  );
}
