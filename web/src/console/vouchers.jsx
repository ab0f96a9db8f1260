import { useEffect, useState } from "preact/hooks";
import { newKey, payload } from "../shared/api.js";
import { money, t, when, word } from "../shared/i18n.js";
import { codesFrom } from "./csv.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

const LISTS = `{ voucherProducts(first: 100) { nodes { id name kind value currency codeSource merchantIds
  pool { left lowStock } } } merchants(first: 100) { nodes { id name } } }`;
const IMPORT = `mutation($i: ImportCodesInput!) { importVoucherCodes(input: $i) { imported
  rejected { index code error { code message } } errors { code message } } }`;
const ISSUE = `mutation($i: IssueVouchersInput!) { issueVouchers(input: $i) {
  results { memberId voucher { id } errors { code message } } errors { code message } } }`;
const LOOKUP = `query($c: String, $i: String) { voucher(code: $c, id: $i) { id memberId productId status
  balance face issuedAt expiresAt merchants product { name kind value currency }
  ledger { event at actor actorRole reason amount } } }`;
const CHUNK = 1000;
const ISSUE_CHUNK = 100;

function value(p) {
  return p.kind === "AMOUNT" ? money(p.value, p.currency) : p.kind === "PERCENT" ? `${p.value} %`
    : t("till.items", { count: p.value });
}

export function Vouchers({ call }) {
  const { data, error, reload } = useQuery(call, LISTS);
  const products = data ? data.voucherProducts.nodes : [];
  return (
    <>
      <section class="card">
        <div class="row"><h2>{t("vouchers.products")}</h2><a href="#/vouchers/lookup"><button>{t("vouchers.find")}</button></a></div>
        <Problem error={error} />
        <div class="table-wrap"><table>
          <thead><tr><th>{t("till.product")}</th><th>{t("till.value")}</th><th>{t("vouchers.codes")}</th><th>{t("vouchers.merchants")}</th></tr></thead>
          <tbody>{products.map((p) => (
            <tr key={p.id}><td>{p.name}<div class="muted">{p.id}</div></td><td>{value(p)}</td>
              <td>{p.codeSource === "POOL" ? t(p.pool && p.pool.lowStock ? "vouchers.poolLow" : "vouchers.pool", { left: p.pool ? p.pool.left : 0 }) : t("vouchers.generated")}</td>
              <td>{p.merchantIds.length ? p.merchantIds.join(", ") : t("vouchers.everyMerchant")}</td></tr>
          ))}</tbody>
        </table></div>
      </section>
      <div class="grid">
        <PoolImport call={call} products={products.filter((p) => p.codeSource === "POOL")} done={reload} />
        <BulkIssue call={call} products={products} />
        <section class="card">
          <h3>{t("vouchers.merchants")}</h3>
          <ul>{(data ? data.merchants.nodes : []).map((m) => <li key={m.id}>{m.name} <span class="muted">{m.id}</span></li>)}</ul>
        </section>
      </div>
    </>
  );
}

function PoolImport({ call, products, done }) {
  const [product, setProduct] = useState("");
  const [progress, setProgress] = useState(null);
  const [problems, setProblems] = useState([]);
  const [failure, setFailure] = useState(null);
  async function upload(e) {
    e.preventDefault();
    const fields = e.currentTarget.elements; // read before any await: the event is gone then
    const file = fields.file.files[0];
    const column = fields.column.value;
    if (!file || !product) return;
    const { codes } = codesFrom(await file.text(), column);
    const found = [];
    setProblems([]); setFailure(null);
    let imported = 0;
    let onFile = 0;
    for (let start = 0; start < codes.length; start += CHUNK) {
      const chunk = codes.slice(start, start + CHUNK);
      setProgress({ done: start, total: codes.length, imported, onFile });
      try {
        const result = payload((await call(IMPORT, { i: { productId: product, codes: chunk.map((c) => c.code) } })).importVoucherCodes);
        imported += result.imported;
        for (const r of result.rejected) {
          // A code already on file is counted, not refused: re-running an import is safe
          // (the CLI says the same).
          if (r.error.code === "DUPLICATE_CODE" && r.error.message === "already in the program") onFile += 1;
          else found.push(t("vouchers.refusedLine", { line: chunk[r.index].line, code: r.code, message: r.error.message }));
        }
      } catch (error) {
        setFailure(error);
        break;
      }
    }
    setProgress({ done: codes.length, total: codes.length, imported, onFile });
    setProblems(found);
    done();
  }
  return (
    <form class="card" onSubmit={upload}>
      <h3>{t("vouchers.import")}</h3>
      <label for="pool-product">{t("till.product")}</label>
      <select id="pool-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)} required>
        <option value="">{t("vouchers.choosePool")}</option>
        {products.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
      <label for="file">{t("vouchers.file")}</label>
      <input id="file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain" required />
      <label for="column">{t("vouchers.column")}</label>
      <input id="column" name="column" value="code" />
      <button class="primary wide" type="submit">{t("vouchers.importButton")}</button>
      <Problem error={failure} />
      {progress && (
        <>
          <div class="progress"><div style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 100}%` }} /></div>
          <p data-testid="import-progress">{t("vouchers.imported", { imported: progress.imported, total: progress.total, onFile: progress.onFile })}
            {problems.length ? ` ${t("vouchers.refused", { count: problems.length })}` : ""}</p>
        </>
      )}
      {problems.length > 0 && <ul class="field-error">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
    </form>
  );
}

function BulkIssue({ call, products }) {
  const [product, setProduct] = useState("");
  const [members, setMembers] = useState("");
  const [reason, setReason] = useState("");
  const [results, setResults] = useState(null);
  const [failure, setFailure] = useState(null);
  const [batchKey] = useState(newKey()); // one key per batch: sending it again issues nothing new
  async function issue(e) {
    e.preventDefault();
    const ids = members.split(/[\s,]+/).map((m) => m.trim()).filter(Boolean);
    const out = [];
    setFailure(null);
    for (let start = 0; start < ids.length; start += ISSUE_CHUNK) {
      try {
        const result = payload((await call(ISSUE, { i: { productId: product, memberIds: ids.slice(start, start + ISSUE_CHUNK),
          idempotencyKey: `${batchKey}-${start}`, reason: reason || "issued from the console" } })).issueVouchers);
        out.push(...result.results);
      } catch (error) {
        setFailure(error);
        break;
      }
    }
    setResults(out);
  }
  return (
    <form class="card" onSubmit={issue}>
      <h3>{t("vouchers.issue")}</h3>
      <label for="issue-product">{t("till.product")}</label>
      <select id="issue-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)} required>
        <option value="">{t("vouchers.chooseProduct")}</option>
        {products.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
      <label for="issue-members">{t("vouchers.memberIds")}</label>
      <textarea id="issue-members" rows="4" value={members} onInput={(e) => setMembers(e.currentTarget.value)} required />
      <label for="issue-reason">{t("vouchers.reason")}</label>
      <input id="issue-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <button class="primary wide" type="submit">{t("vouchers.issueButton")}</button>
      <Problem error={failure} />
      {results && (
        <ul>{results.map((r, i) => (
          <li key={i} class={r.errors.length ? "field-error" : ""}>
            {t("vouchers.issuedLine", { line: i + 1, member: r.memberId, outcome: r.errors.length ? r.errors[0].message : t("vouchers.issued") })}
          </li>
        ))}</ul>
      )}
    </form>
  );
}

export function VoucherLookup({ call, params }) {
  const [text, setText] = useState(params.id || "");
  const [found, setFound] = useState(undefined);
  const [failure, setFailure] = useState(null);
  useEffect(() => { if (params.id) look(); }, [params.id]);
  async function look(e) {
    if (e) e.preventDefault();
    setFailure(null);
    const wanted = text.trim() || params.id || "";
    const byId = /^v[0-9a-f]{20}$/.test(wanted);
    try {
      setFound((await call(LOOKUP, byId ? { i: wanted } : { c: wanted })).voucher);
    } catch (error) {
      setFailure(error); setFound(undefined);
    }
  }
  const v = found;
  return (
    <section class="card">
      <h2>{t("vouchers.find")}</h2>
      <form class="row" onSubmit={look}>
        <input id="lookup" placeholder={t("vouchers.codeOrId")} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button class="primary" type="submit">{t("vouchers.findButton")}</button>
      </form>
      <Problem error={failure} />
      {found === null && <p>{t("vouchers.notFound")}</p>}
      {v && (
        <>
          <dl class="facts">
            <dt>{t("till.voucher")}</dt><dd>{v.id} <Badge value={v.status} group="voucherStatus" /></dd>
            <dt>{t("till.product")}</dt><dd>{v.product.name} ({value(v.product)})</dd>
            <dt>{t("members.member")}</dt><dd><a href={`#/members/${encodeURIComponent(v.memberId)}`}>{v.memberId}</a></dd>
            <dt>{t("vouchers.balance")}</dt><dd>{v.product.kind === "AMOUNT" ? t("vouchers.of", { part: money(v.balance, v.product.currency), whole: money(v.face, v.product.currency) }) : t("vouchers.of", { part: v.balance, whole: v.face })}</dd>
            <dt>{t("vouchers.issuedAt")}</dt><dd>{when(v.issuedAt)}</dd>
            <dt>{t("till.expires")}</dt><dd>{when(v.expiresAt)}</dd>
            <dt>{t("vouchers.merchants")}</dt><dd>{v.merchants.length ? v.merchants.join(", ") : t("vouchers.everyMerchant")}</dd>
          </dl>
          <h3>{t("vouchers.ledger")}</h3>
          <div class="table-wrap"><table data-testid="ledger"><thead><tr><th>{t("till.when")}</th><th>{t("vouchers.what")}</th><th>{t("vouchers.who")}</th><th>{t("vouchers.amount")}</th><th>{t("vouchers.why")}</th></tr></thead>
            <tbody>{v.ledger.map((l, i) => (
              <tr key={i}><td>{when(l.at)}</td><td data-event={l.event} title={l.event}>{word("ledgerEvent", l.event)}</td><td>{l.actor} ({word("role", l.actorRole)})</td>
                <td>{l.amount === null || l.amount === undefined ? "" : v.product.kind === "AMOUNT" ? money(l.amount, v.product.currency) : l.amount}</td><td>{l.reason}</td></tr>
            ))}</tbody></table></div>
        </>
      )}
    </section>
  );
}
