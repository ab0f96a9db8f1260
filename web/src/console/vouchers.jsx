import { useEffect, useState } from "preact/hooks";
import { money, newKey, payload, when } from "../shared/api.js";
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
  return p.kind === "AMOUNT" ? money(p.value, p.currency) : p.kind === "PERCENT" ? `${p.value} %` : `${p.value} item(s)`;
}

export function Vouchers({ call }) {
  const { data, error, reload } = useQuery(call, LISTS);
  const products = data ? data.voucherProducts.nodes : [];
  return (
    <>
      <section class="card">
        <div class="row"><h2>Voucher products</h2><a href="#/vouchers/lookup"><button>Find a voucher</button></a></div>
        <Problem error={error} />
        <div class="table-wrap"><table>
          <thead><tr><th>Product</th><th>Value</th><th>Codes</th><th>Merchants</th></tr></thead>
          <tbody>{products.map((p) => (
            <tr key={p.id}><td>{p.name}<div class="muted">{p.id}</div></td><td>{value(p)}</td>
              <td>{p.codeSource === "POOL" ? `pool: ${p.pool ? p.pool.left : 0} left${p.pool && p.pool.lowStock ? " (low)" : ""}` : "generated"}</td>
              <td>{p.merchantIds.length ? p.merchantIds.join(", ") : "every merchant"}</td></tr>
          ))}</tbody>
        </table></div>
      </section>
      <div class="grid">
        <PoolImport call={call} products={products.filter((p) => p.codeSource === "POOL")} done={reload} />
        <BulkIssue call={call} products={products} />
        <section class="card">
          <h3>Merchants</h3>
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
    for (let start = 0; start < codes.length; start += CHUNK) {
      const chunk = codes.slice(start, start + CHUNK);
      setProgress({ done: start, total: codes.length, imported });
      try {
        const result = payload((await call(IMPORT, { i: { productId: product, codes: chunk.map((c) => c.code) } })).importVoucherCodes);
        imported += result.imported;
        for (const r of result.rejected) found.push(`line ${chunk[r.index].line}: ${r.code}: ${r.error.message}`);
      } catch (error) {
        setFailure(error);
        break;
      }
    }
    setProgress({ done: codes.length, total: codes.length, imported });
    setProblems(found);
    done();
  }
  return (
    <form class="card" onSubmit={upload}>
      <h3>Import pool codes</h3>
      <label for="pool-product">Product</label>
      <select id="pool-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)} required>
        <option value="">Choose a pool product</option>
        {products.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
      <label for="file">CSV file (one code per line, or a column named below)</label>
      <input id="file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain" required />
      <label for="column">Column</label>
      <input id="column" name="column" value="code" />
      <button class="primary wide" type="submit">Import</button>
      <Problem error={failure} />
      {progress && (
        <>
          <div class="progress"><div style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 100}%` }} /></div>
          <p>{progress.imported} imported of {progress.total}{problems.length ? `, ${problems.length} refused:` : ""}</p>
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
      <h3>Issue vouchers</h3>
      <label for="issue-product">Product</label>
      <select id="issue-product" value={product} onChange={(e) => setProduct(e.currentTarget.value)} required>
        <option value="">Choose a product</option>
        {products.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
      <label for="issue-members">Member ids (one per line)</label>
      <textarea id="issue-members" rows="4" value={members} onInput={(e) => setMembers(e.currentTarget.value)} required />
      <label for="issue-reason">Reason</label>
      <input id="issue-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <button class="primary wide" type="submit">Issue</button>
      <Problem error={failure} />
      {results && (
        <ul>{results.map((r, i) => (
          <li key={i} class={r.errors.length ? "field-error" : ""}>
            line {i + 1}, {r.memberId}: {r.errors.length ? r.errors[0].message : "issued"}
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
      <h2>Find a voucher</h2>
      <form class="row" onSubmit={look}>
        <input id="lookup" placeholder="Code or voucher id" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button class="primary" type="submit">Find</button>
      </form>
      <Problem error={failure} />
      {found === null && <p>No voucher has that code or id.</p>}
      {v && (
        <>
          <dl class="facts">
            <dt>Voucher</dt><dd>{v.id} <Badge value={v.status} /></dd>
            <dt>Product</dt><dd>{v.product.name} ({value(v.product)})</dd>
            <dt>Member</dt><dd><a href={`#/members/${encodeURIComponent(v.memberId)}`}>{v.memberId}</a></dd>
            <dt>Balance</dt><dd>{v.product.kind === "AMOUNT" ? `${money(v.balance, v.product.currency)} of ${money(v.face, v.product.currency)}` : `${v.balance} of ${v.face}`}</dd>
            <dt>Issued</dt><dd>{when(v.issuedAt)}</dd>
            <dt>Expires</dt><dd>{when(v.expiresAt)}</dd>
            <dt>Merchants</dt><dd>{v.merchants.length ? v.merchants.join(", ") : "every merchant"}</dd>
          </dl>
          <h3>Ledger</h3>
          <table data-testid="ledger"><thead><tr><th>When</th><th>What</th><th>Who</th><th>Amount</th><th>Why</th></tr></thead>
            <tbody>{v.ledger.map((l, i) => (
              <tr key={i}><td>{when(l.at)}</td><td>{l.event}</td><td>{l.actor} ({l.actorRole})</td>
                <td>{l.amount ?? ""}</td><td>{l.reason}</td></tr>
            ))}</tbody></table>
        </>
      )}
    </section>
  );
}
