import { useEffect, useState } from "preact/hooks";
import { payload } from "../shared/api.js";
import { minorDigits, money, number as formatNumber, parseAmount, t, when, word } from "../shared/i18n.js";
import { dayIn, instantIn, isZone, wallClock, zones } from "../shared/zoned_time.js";
import { verify } from "./fair_draw.js";
import { DayChart, everyDay } from "./day_chart.jsx";
import { Badge, byField, Field, Problem, useQuery } from "./ui.jsx";

const LIST = `{ campaigns(first: 100) { nodes { id name status startsAt endsAt timezone stats { spins wins } } } }`;
const DETAIL = `query($id: ID!, $days: Int! = 30) { campaign(id: $id) { id name status startsAt endsAt timezone
  costPoints requiresCredit serverSeedHash serverSeed limits { perMemberPerDay perMemberTotal }
  eligibility { tiers accountIds memberIds } budgets { budgetId percent }
  prizes { id name kind weight probability limitedStock productId cost }
  odds { totalWeight outOfStockRule drawRule }
  stats { spins wins outOfStock outOfBudget prizes { prizeId awarded stockLeft stock }
    days(last: $days) { day spins wins outOfStock players refusals { reason count } } } } }`;
const PRODUCTS = `{ voucherProducts(first: 100) { nodes { id name } } budgets { id currency status } }`;
const UPSERT = `mutation($i: CampaignInput!) { upsertCampaign(input: $i) {
  campaign { id status } errors { code message field } } }`;
const MOVES = {
  launch: ["launchCampaign", "campaigns.launchConfirm"],
  pause: ["pauseCampaign", "campaigns.pauseConfirm"],
  end: ["endCampaign", "campaigns.endConfirm"],
};

export function CampaignList({ call }) {
  const { data, error } = useQuery(call, LIST);
  return (
    <section class="card">
      <div class="row"><h2>{t("campaigns.title")}</h2><a href="#/campaigns/new"><button class="primary">{t("campaigns.new")}</button></a></div>
      <Problem error={error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t("campaigns.campaign")}</th><th>{t("common.status")}</th><th>{t("campaigns.runs")}</th><th>{t("campaigns.spins")}</th><th>{t("campaigns.wins")}</th></tr></thead>
          <tbody>
            {(data ? data.campaigns.nodes : []).map((c) => (
              <tr key={c.id}>
                <td><a href={`#/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a><div class="muted">{c.id}</div></td>
                <td><Badge value={c.status} group="campaignStatus" /></td>
                <td>{when(c.startsAt, c.timezone)} – {when(c.endsAt, c.timezone)}</td>
                <td>{c.stats.spins}</td><td>{c.stats.wins}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && !data.campaigns.nodes.length && <p class="muted">{t("campaigns.none")}</p>}
    </section>
  );
}

export function CampaignDetail({ call, params }) {
  const [range, setRange] = useState(30);
  const { data, error, reload } = useQuery(call, DETAIL, { id: params.id, days: range }, 5000);
  const [moveError, setMoveError] = useState(null);
  const c = data && data.campaign;
  async function move(name) {
    const [mutation, question] = MOVES[name];
    if (!confirm(t(question))) return;
    try {
      payload((await call(`mutation($id: ID!) { ${mutation}(id: $id) { campaign { id status }
        errors { code message field } } }`, { id: c.id }))[mutation]);
      setMoveError(null);
      reload();
    } catch (failure) {
      setMoveError(failure);
    }
  }
  if (!c) return <section class="card"><Problem error={error} />{data && <p>{t("campaigns.notFound", { id: params.id })}</p>}</section>;
  const today = c.stats.days.length ? c.stats.days[c.stats.days.length - 1] : null;
  const refusals = {};
  for (const d of c.stats.days) for (const r of d.refusals) refusals[r.reason] = (refusals[r.reason] || 0) + r.count;
  return (
    <>
      <section class="card">
        <div class="row">
          <h2>{c.name} <Badge value={c.status} group="campaignStatus" /></h2>
          {c.status !== "ENDED" && <a href={`#/campaigns/${encodeURIComponent(c.id)}/edit`}><button>{t("common.edit")}</button></a>}
          {(c.status === "DRAFT" || c.status === "PAUSED") && <button class="primary" onClick={() => move("launch")}>{t("campaigns.launch")}</button>}
          {c.status === "LIVE" && <button onClick={() => move("pause")}>{t("campaigns.pause")}</button>}
          {c.status !== "ENDED" && c.status !== "DRAFT" && <button class="danger" onClick={() => move("end")}>{t("campaigns.end")}</button>}
        </div>
        <Problem error={moveError || error} />
        <p class="muted">{c.id} · {when(c.startsAt, c.timezone)} – {when(c.endsAt, c.timezone)} ({c.timezone})</p>
        <div class="grid">
          <div><div class="muted">{t("campaigns.spins")}</div><div class="big" data-testid="spins">{c.stats.spins}</div></div>
          <div><div class="muted">{t("campaigns.wins")}</div><div class="big" data-testid="wins">{c.stats.wins}</div></div>
          <div><div class="muted">{t("campaigns.playersToday")}</div><div class="big" data-testid="players">{today ? today.players : 0}</div></div>
          <div><div class="muted">{t("campaigns.outOfStock")}</div><div class="big">{c.stats.outOfStock}</div></div>
          {c.budgets.length > 0 && <div><div class="muted">{t("campaigns.outOfBudget")}</div><div class="big" data-testid="out-of-budget">{c.stats.outOfBudget}</div></div>}
        </div>
      </section>
      <div class="grid">
        <section class="card">
          <h3>{t("campaigns.perDay")}</h3>
          <DayChart rows={everyDay(c.stats.days, range, dayIn(c.timezone, new Date(Math.min(Date.now(), Date.parse(c.endsAt)))))}
            series={[{ key: "spins", label: t("campaigns.spins"), bar: true }, { key: "wins", label: t("campaigns.wins"), bar: true },
              { key: "players", label: t("campaigns.players") }]} range={range} onRange={setRange} />
          <table>
            <thead><tr><th>{t("campaigns.day")}</th><th>{t("campaigns.spins")}</th><th>{t("campaigns.wins")}</th><th>{t("campaigns.players")}</th></tr></thead>
            <tbody>{c.stats.days.slice(-7).reverse().map((d) => (
              <tr key={d.day}><td>{d.day}</td><td>{d.spins}</td><td>{d.wins}</td><td>{d.players}</td></tr>
            ))}</tbody>
          </table>
        </section>
        <section class="card">
          <h3>{t("campaigns.odds")}</h3>
          <table>
            <thead><tr><th>{t("campaigns.prize")}</th><th>{t("campaigns.chance")}</th><th>{t("campaigns.won")}</th><th>{t("campaigns.stockLeft")}</th></tr></thead>
            <tbody>{c.prizes.map((p) => {
              const s = c.stats.prizes.find((x) => x.prizeId === p.id) || {};
              return (
                <tr key={p.id}>
                  <td>{p.name}<div class="muted">{word("prizeKind", p.kind)}{p.productId ? ` · ${p.productId}` : ""}</div></td>
                  <td>{(p.probability * 100).toFixed(2)} %</td>
                  <td>{s.awarded || 0}</td>
                  <td>{p.limitedStock ? s.stockLeft : t("campaigns.unlimited")}</td>
                </tr>
              );
            })}</tbody>
          </table>
          <p class="muted" data-testid="seed">{c.serverSeed ? t("campaigns.seedRevealed", { seed: c.serverSeed })
            : c.serverSeedHash ? t("campaigns.seedHash", { hash: c.serverSeedHash }) : t("campaigns.seedAtLaunch")}</p>
          <details><summary>{t("campaigns.drawRule")}</summary><p class="muted">{c.odds.drawRule} {c.odds.outOfStockRule}</p></details>
          {c.serverSeedHash && <VerifySpin campaign={c} />}
        </section>
        <section class="card">
          <h3>{t("campaigns.refusals")}</h3>
          {Object.keys(refusals).length === 0 ? <p class="muted">{t("common.none")}</p> : (
            <table><tbody>{Object.entries(refusals).map(([reason, count]) => (
              <tr key={reason}><td title={reason}>{word("refusal", reason)}</td><td>{count}</td></tr>
            ))}</tbody></table>
          )}
        </section>
      </div>
    </>
  );
}

const EMPTY_PRIZE = { id: "", name: "", kind: "ITEM", weight: "1", stock: "", productId: "", cost: "" };


function draft(c) {
  const now = new Date();
  if (!c) {
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    return { id: "", name: "", timezone,
      startsAt: wallClock(now.toISOString(), timezone),
      endsAt: wallClock(new Date(now.getTime() + 14 * 864e5).toISOString(), timezone),
      perMemberPerDay: "", perMemberTotal: "", costPoints: "", tiers: "", accountIds: "",
      memberIds: "", budgets: "", prizes: [{ ...EMPTY_PRIZE }], existing: false };
  }
  return { id: c.id, name: c.name, timezone: c.timezone, startsAt: wallClock(c.startsAt, c.timezone),
    endsAt: wallClock(c.endsAt, c.timezone),
    original: { startsAt: c.startsAt, endsAt: c.endsAt, timezone: c.timezone },
    perMemberPerDay: c.limits.perMemberPerDay ?? "",
    perMemberTotal: c.limits.perMemberTotal ?? "", costPoints: c.costPoints ?? "",
    tiers: c.eligibility.tiers.join(", "), accountIds: c.eligibility.accountIds.join(", "),
    memberIds: c.eligibility.memberIds.join(", "), requiresCredit: c.requiresCredit,
    budgets: c.budgets.map((b) => (b.percent === 100 ? b.budgetId : `${b.budgetId}:${b.percent}`)).join(", "),
    costs: Object.fromEntries(c.prizes.map((p) => [p.id, p.cost || 0])),
    prizes: c.prizes.map((p) => {
      const s = c.stats.prizes.find((x) => x.prizeId === p.id) || {};
      return { id: p.id, name: p.name, kind: p.kind, weight: String(p.weight),
        stock: p.limitedStock ? String(s.stock ?? "") : "", productId: p.productId || "",
        cost: p.cost ? String(p.cost) : "", costIsMinor: true };
    }), existing: true };
}

const list = (text) => (text || "").split(/[\s,]+/).filter(Boolean);
const number = (text) => (text === "" || text === null || text === undefined ? null : Number(text));

/** A time field as the API wants it: the wall-clock time typed, read in the campaign's
 * zone. One left untouched (zone included) keeps its exact stored instant (a live
 * campaign's start is frozen to the second, finer than the field shows). */
function instant(f, name) {
  const o = f.original;
  if (o && o.timezone === f.timezone && wallClock(o[name], o.timezone) === f[name]) return o[name];
  return f[name] && isZone(f.timezone) ? instantIn(f[name], f.timezone) : "";
}

/** "brand-tet:70, dist-tet:30" as the API's budget links (a bare id pays 100 %). */
function links(text) {
  return list(text).map((entry) => {
    const [budgetId, percent] = entry.split(":");
    return { budgetId, percent: percent === undefined ? 100 : Number(percent) };
  });
}

/** What a prize's cost field holds, in minor units of the budgets' currency: typed in that
 * currency's form; one loaded from the API and left alone is already in minor units. */
function minorCost(p, currency) {
  if (p.cost === "" || p.cost === "0") return 0;
  if (p.costIsMinor) return Number(p.cost);
  return parseAmount(p.cost, currency);
}

/** The same CampaignInput `kado campaign apply` sends: the API validates both alike. */
export function toInput(f, currency) {
  return {
    id: f.id.trim(), name: f.name.trim(), timezone: f.timezone.trim(),
    startsAt: instant(f, "startsAt"), endsAt: instant(f, "endsAt"),
    limits: { perMemberPerDay: number(f.perMemberPerDay), perMemberTotal: number(f.perMemberTotal) },
    costPoints: number(f.costPoints),
    eligibility: { tiers: list(f.tiers), accountIds: list(f.accountIds), memberIds: list(f.memberIds) },
    requiresCredit: !!f.requiresCredit, budgets: links(f.budgets),
    prizes: f.prizes.map((p) => ({ id: p.id.trim(), name: p.name.trim(), kind: p.kind,
      weight: number(p.weight) ?? 0, stock: number(p.stock), productId: p.productId.trim() || null,
      cost: minorCost(p, currency) })),
  };
}

export function CampaignForm({ call, params }) {
  const [form, setForm] = useState(null);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [saving, setSaving] = useState(false);
  const [products, setProducts] = useState([]);
  const [budgetList, setBudgetList] = useState([]);
  useEffect(() => {
    call(PRODUCTS).then((d) => { setProducts(d.voucherProducts.nodes); setBudgetList(d.budgets); }).catch(() => {});
  }, []);
  useEffect(() => {
    if (!params.id) { setForm(draft(null)); return; }
    call(DETAIL, { id: params.id }).then((d) => setForm(draft(d.campaign))).catch(setFailure);
  }, [params.id]);
  if (!form) return <section class="card"><Problem error={failure} /><p>{t("common.loading")}</p></section>;
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  const setPrize = (i, name) => (e) => setForm({ ...form, prizes: form.prizes.map((p, j) =>
    (j === i ? { ...p, [name]: e.currentTarget.value, ...(name === "cost" ? { costIsMinor: false } : {}) } : p)) });
  const firstLink = links(form.budgets)[0];
  const currency = ((firstLink && budgetList.find((b) => b.id === firstLink.budgetId)) || {}).currency;
  async function save(e) {
    e.preventDefault();
    const unreadable = form.prizes.findIndex((p) => minorCost(p, currency) === null);
    if (unreadable >= 0) {
      setErrors({ [`prizes[${unreadable}].cost`]: t("till.notAnAmount", { example: money(1234500, currency) }) });
      return;
    }
    setSaving(true); setFailure(null);
    try {
      const result = (await call(UPSERT, { i: toInput(form, currency) })).upsertCampaign;
      if (result.errors.length) {
        setErrors(byField(result.errors));
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
    "limits.perMemberTotal", "costPoints", "prizes", "budgets",
    ...form.prizes.flatMap((_, i) => ["id", "name", "kind", "weight", "stock", "productId", "cost"].map((n) => `prizes[${i}].${n}`))]);
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
      <h2>{form.existing ? t("campaigns.editNamed", { name: form.name }) : t("campaigns.new")}</h2>
      <Problem error={failure} />
      {Object.keys(errors).length > 0 && <p class="error" role="alert">{t("common.fixFields")}</p>}
      {others.map(([path, message]) => <p key={path} class="field-error">{path}: {message}</p>)}
      <div class="grid">
        <Field label={t("common.id")} path="id" errors={errors}>
          <input id="id" value={form.id} onInput={set("id")} disabled={form.existing} />
        </Field>
        <Field label={t("common.name")} path="name" errors={errors}><input id="name" value={form.name} onInput={set("name")} /></Field>
        <Field label={t("campaigns.timezone")} path="timezone" errors={errors}>
          <input id="timezone" list="zones" value={form.timezone} onInput={set("timezone")} />
          <datalist id="zones">{zones().map((z) => <option key={z} value={z} />)}</datalist>
        </Field>
        <Field label={t("campaigns.startsIn", { zone: form.timezone })} path="startsAt" errors={errors}><input id="startsAt" type="datetime-local" value={form.startsAt} onInput={set("startsAt")} /></Field>
        <Field label={t("campaigns.endsIn", { zone: form.timezone })} path="endsAt" errors={errors}><input id="endsAt" type="datetime-local" value={form.endsAt} onInput={set("endsAt")} /></Field>
        <Field label={t("campaigns.perMemberPerDay")} path="limits.perMemberPerDay" errors={errors}>
          <input id="limits.perMemberPerDay" inputmode="numeric" value={form.perMemberPerDay} onInput={set("perMemberPerDay")} placeholder={t("campaigns.noLimit")} />
        </Field>
        <Field label={t("campaigns.perMemberTotal")} path="limits.perMemberTotal" errors={errors}>
          <input id="limits.perMemberTotal" inputmode="numeric" value={form.perMemberTotal} onInput={set("perMemberTotal")} placeholder={t("campaigns.noLimit")} />
        </Field>
        <Field label={t("campaigns.costPoints")} path="costPoints" errors={errors}>
          <input id="costPoints" inputmode="numeric" value={form.costPoints} onInput={set("costPoints")} placeholder={t("campaigns.free")} />
        </Field>
        <Field label={t("campaigns.budgets")} path="budgets" errors={{ ...errors, budgets: errors.budgets || errors["budgets[0].budgetId"] || errors["budgets[0].percent"] }}>
          <input id="budgets" list="budget-ids" value={form.budgets} onInput={set("budgets")} placeholder={t("campaigns.budgetsHint")} />
          <datalist id="budget-ids">{budgetList.filter((x) => x.status === "OPEN").map((x) => <option key={x.id} value={x.id} />)}</datalist>
        </Field>
      </div>
      <h3>{t("campaigns.whoMay")}</h3>
      <p class="hint">{t("campaigns.whoMayHint")}</p>
      <div class="grid">
        <Field label={t("campaigns.tiers")} path="eligibility.tiers" errors={listErrors}>
          <input id="eligibility.tiers" value={form.tiers} onInput={set("tiers")} placeholder={t("campaigns.anyTier")} />
        </Field>
        <Field label={t("campaigns.companies")} path="eligibility.accountIds" errors={listErrors}>
          <input id="eligibility.accountIds" value={form.accountIds} onInput={set("accountIds")} placeholder={t("campaigns.anyCompany")} />
        </Field>
        <Field label={t("campaigns.members")} path="eligibility.memberIds" errors={listErrors}>
          <input id="eligibility.memberIds" value={form.memberIds} onInput={set("memberIds")} placeholder={t("campaigns.anyMember")} />
        </Field>
      </div>
      <h3>{t("campaigns.prizes")}</h3>
      {errors.prizes && <div class="field-error">{errors.prizes}</div>}
      {form.prizes.map((p, i) => (
        <fieldset class="card" key={i}>
          <div class="grid">
            <Field label={t("campaigns.prizeId")} path={`prizes[${i}].id`} errors={errors}><input id={`prizes[${i}].id`} value={p.id} onInput={setPrize(i, "id")} /></Field>
            <Field label={t("common.name")} path={`prizes[${i}].name`} errors={errors}><input id={`prizes[${i}].name`} value={p.name} onInput={setPrize(i, "name")} /></Field>
            <Field label={t("campaigns.kind")} path={`prizes[${i}].kind`} errors={errors}>
              <select id={`prizes[${i}].kind`} value={p.kind} onChange={setPrize(i, "kind")}>
                <option value="ITEM">{word("prizeKind", "ITEM")}</option><option value="VOUCHER">{word("prizeKind", "VOUCHER")}</option><option value="NONE">{word("prizeKind", "NONE")}</option>
              </select>
            </Field>
            <Field label={t("campaigns.weight")} path={`prizes[${i}].weight`} errors={errors}><input id={`prizes[${i}].weight`} inputmode="numeric" value={p.weight} onInput={setPrize(i, "weight")} />
              <div class="muted" data-testid={`odds-${i}`}>{total ? t("campaigns.shareOfSpins", { share: ((100 * weights[i]) / total).toFixed(2) }) : ""}</div></Field>
            <Field label={t("campaigns.stock")} path={`prizes[${i}].stock`} errors={errors}><input id={`prizes[${i}].stock`} inputmode="numeric" value={p.stock} onInput={setPrize(i, "stock")} placeholder={t("campaigns.unlimited")} /></Field>
            <Field label={t("campaigns.cost", { currency: currency || "—" })} path={`prizes[${i}].cost`} errors={errors}>
              <input id={`prizes[${i}].cost`} inputmode="decimal" value={p.costIsMinor && p.cost && currency ? formatNumber(Number(p.cost) / 10 ** minorDigits(currency)) : p.cost}
                onInput={setPrize(i, "cost")} placeholder={t("campaigns.noCost")} disabled={!currency} />
            </Field>
            <Field label={t("campaigns.product")} path={`prizes[${i}].productId`} errors={errors}><select id={`prizes[${i}].productId`} value={p.productId} onChange={setPrize(i, "productId")}>
              <option value="">{t("campaigns.noProduct")}</option>
              {products.map((x) => <option key={x.id} value={x.id}>{x.name} ({x.id})</option>)}
            </select></Field>
          </div>
          {form.prizes.length > 1 && <button type="button" onClick={() => setForm({ ...form, prizes: form.prizes.filter((_, j) => j !== i) })}>{t("campaigns.removePrize")}</button>}
        </fieldset>
      ))}
      <div class="row">
        <button type="button" onClick={() => setForm({ ...form, prizes: [...form.prizes, { ...EMPTY_PRIZE }] })}>{t("campaigns.addPrize")}</button>
        <button class="primary" type="submit" disabled={saving}>{saving ? t("common.saving") : t("common.save")}</button>
      </div>
    </form>
  );
}

/** Recompute a spin's draw here, from the revealed seed (or one pasted before the reveal is
 * read elsewhere), the member and the spin's idempotency key. */
function VerifySpin({ campaign }) {
  const [form, setForm] = useState({ memberId: "", key: "", seed: campaign.serverSeed || "" });
  const [result, setResult] = useState(null);
  const [problem, setProblem] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value.trim() });
  async function check(event) {
    event.preventDefault();
    try {
      setProblem(null);
      setResult(await verify({ seed: form.seed, seedHashPublished: campaign.serverSeedHash,
        campaignId: campaign.id, prizes: campaign.prizes, memberId: form.memberId,
        idempotencyKey: form.key }));
    } catch (e) { setResult(null); setProblem(e); }
  }
  return (
    <details data-testid="verify-spin">
      <summary>{t("campaigns.verify")}</summary>
      <form class="stack" onSubmit={check}>
        <p class="muted">{t("campaigns.verifyLead")}</p>
        <label>{t("campaigns.verifyMember")}<input name="memberId" value={form.memberId} onInput={set("memberId")} required /></label>
        <label>{t("campaigns.verifyKey")}<input name="key" value={form.key} onInput={set("key")} required /></label>
        <label>{t("campaigns.verifySeed")}<input name="seed" value={form.seed} onInput={set("seed")} required /></label>
        <button type="submit">{t("campaigns.verifyRun")}</button>
      </form>
      <Problem error={problem} />
      {result && (
        <div role="status" data-testid="verified">
          <p>{t("campaigns.verifyDrew", { prize: result.prize.name, id: result.prize.id, u: result.u.toFixed(6) })}</p>
          <p class={result.seedMatches ? "ok" : "error"}>{t(result.seedMatches ? "campaigns.verifySeedOk" : "campaigns.verifySeedBad")}</p>
        </div>
      )}
    </details>
  );
}
