import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { client, money, newKey, NetworkError, payload, when } from "../shared/api.js";
import { currentToken, loadConfig, signOut } from "../shared/session.js";
import { SignIn } from "../shared/SignIn.jsx";
import { sentence } from "./sentences.js";

const ROLE = "merchant";
const VOUCHER = "voucher { id status balance expiresAt merchants product { name kind value currency } }";
const ME = "{ me { id program } }";
const CHECK = `query($c: String!) { checkVoucher(code: $c) { redeemable ${VOUCHER} errors { code message field } } }`;
const REDEEM = `mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id redeemedAt amount remainingBalance voucher { product { name currency } } }
  errors { code message field } } }`;
const REVERSE = `mutation($i: ReverseInput!) { reverseRedemption(input: $i) {
  redemption { id reversedAt } errors { code message field } } }`;
const TODAY = `query($after: String) { redemptions(first: 100, after: $after) {
  nodes { id redeemedAt reversedAt amount voucher { product { name kind currency } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every redemption since local midnight, newest first: pages are read until one reaches
 * yesterday, so a busy till's totals are whole, not its last hundred. */
async function sinceMidnight(call) {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const found = [];
  let after = null;
  for (;;) {
    const page = (await call(TODAY, { after })).redemptions;
    const todays = page.nodes.filter((r) => new Date(r.redeemedAt) >= midnight);
    found.push(...todays);
    if (todays.length < page.nodes.length || !page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor;
  }
}

function App() {
  const [config, setConfig] = useState(null);
  const [token, setToken] = useState(null);
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    loadConfig().then(async (c) => { setConfig(c); setToken(await currentToken(ROLE, c)); });
  }, []);
  if (!config) return <main><p>Loading…</p></main>;
  if (!token) return <SignIn role={ROLE} config={config} onToken={setToken} problem={problem} />;
  const call = client(config.apiBase || "", "/merchant/graphql", token);
  const out = (why) => { signOut(ROLE); setProblem(why); setToken(null); };
  return <Till call={call} signOut={out} />;
}

function Till({ call, signOut }) {
  const [merchant, setMerchant] = useState(null);
  const [code, setCode] = useState("");
  const [check, setCheck] = useState(null);
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const [done, setDone] = useState(null);
  const [today, setToday] = useState([]);
  const attempt = useRef(null); // {key, code, amount}: one key per attempt, kept for retries
  const undoKey = useRef(null);

  const fail = (error) => {
    if (error.code === "UNAUTHORIZED") signOut(sentence(error));
    else setMessage({ kind: "error", text: sentence(error) });
  };
  const refreshToday = () => sinceMidnight(call).then(setToday).catch(() => {});
  useEffect(() => {
    call(ME).then((d) => setMerchant(d.me)).catch(fail);
    refreshToday();
  }, []);

  async function lookUp(typed) {
    const wanted = (typed ?? code).trim();
    if (!wanted) return;
    setMessage(null); setDone(null); setCheck(null);
    setBusy(true);
    try {
      const result = (await call(CHECK, { c: wanted })).checkVoucher;
      setCheck(result);
      if (result.errors.length) fail(result.errors[0]);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  async function redeem(event) {
    event.preventDefault();
    if (busy) return; // a double tap sends nothing more
    const wanted = amount === "" ? null : Math.round(Number(amount) * (isAmount() ? 100 : 1));
    const same = attempt.current && attempt.current.code === code.trim() &&
      attempt.current.amount === wanted;
    if (!same) attempt.current = { key: newKey(), code: code.trim(), amount: wanted };
    setBusy(true); setMessage(null);
    try {
      const input = { code: attempt.current.code, idempotencyKey: attempt.current.key,
        ...(wanted === null ? {} : { amount: wanted }) };
      const result = payload((await call(REDEEM, { i: input })).redeemVoucher);
      attempt.current = null; undoKey.current = null;
      setDone(result.redemption); setCheck(null); setCode(""); setAmount("");
      refreshToday();
    } catch (error) {
      if (!(error instanceof NetworkError)) attempt.current = null; // a refusal ends the attempt
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  async function undo() {
    if (busy || !done) return;
    if (!confirm("Undo this redemption? The voucher gets its balance back.")) return;
    undoKey.current = undoKey.current || newKey();
    setBusy(true);
    try {
      payload((await call(REVERSE, { i: { redemptionId: done.id, idempotencyKey: undoKey.current,
        reason: "undone at the till" } })).reverseRedemption);
      setMessage({ kind: "ok", text: "Undone: the voucher has its balance back." });
      setDone(null); undoKey.current = null;
      refreshToday();
    } catch (error) {
      if (!(error instanceof NetworkError)) undoKey.current = null;
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  const voucher = check && check.voucher;
  const isAmount = () => voucher && voucher.product.kind === "AMOUNT";
  const todays = today.filter((r) => !r.reversedAt); // undone ones are listed, not counted
  const totals = {};
  for (const r of todays) {
    const currency = r.voucher.product.currency || r.voucher.product.kind;
    totals[currency] = (totals[currency] || 0) + r.amount;
  }

  return (
    <>
      <header class="bar">
        <h1>Till</h1>
        <span class="who">{merchant ? `${merchant.id} · ${merchant.program}` : ""}</span>
        <button onClick={() => signOut(null)}>Sign out</button>
      </header>
      <main class="grid">
        <section class="card">
          <form onSubmit={(e) => { e.preventDefault(); lookUp(); }}>
            <label for="code">Voucher code</label>
            <div class="row">
              <input id="code" class="code" autocomplete="off" autocapitalize="characters"
                spellcheck={false} value={code} placeholder="XXXX-XXXX-XXXX-XXXX-X"
                onInput={(e) => { setCode(e.currentTarget.value); setCheck(null); }} />
              <button type="submit" disabled={busy || !code.trim()}>Check</button>
            </div>
          </form>
          <Scanner onCode={(text) => { setCode(text); lookUp(text); }} />
          {message && <p class={message.kind} role="alert">{message.text}</p>}
          {voucher && <VoucherFacts voucher={voucher} redeemable={check.redeemable} />}
          {voucher && check.redeemable && (
            <form onSubmit={redeem}>
              {voucher.product.kind === "AMOUNT" && (
                <>
                  <label for="amount">Amount to take ({voucher.product.currency}), empty for all of it</label>
                  <input id="amount" inputmode="decimal" value={amount}
                    onInput={(e) => setAmount(e.currentTarget.value)} />
                </>
              )}
              <button class="primary wide" type="submit" disabled={busy}>
                {busy ? "Redeeming…" : amount ? "Redeem this amount" : "Redeem"}
              </button>
            </form>
          )}
          {done && (
            <div class="ok" role="status">
              <p><strong>Redeemed.</strong> {done.voucher.product.name}:{" "}
                {money(done.amount, done.voucher.product.currency)} taken,{" "}
                {money(done.remainingBalance, done.voucher.product.currency)} left.</p>
              <button class="danger" onClick={undo} disabled={busy}>Undo</button>
            </div>
          )}
        </section>
        <section class="card">
          <h2>Today</h2>
          <p class="big" data-testid="today-count">{todays.length} redeemed</p>
          <p class="muted">{Object.entries(totals).map(([c, v]) => money(v, c.length === 3 ? c : null) +
            (c.length === 3 ? "" : ` ${c.toLowerCase()}`)).join(" · ") || "Nothing yet"}</p>
          <div class="table-wrap">
            <table>
              <thead><tr><th>When</th><th>Voucher</th><th>Taken</th></tr></thead>
              <tbody>
                {today.map((r) => (
                  <tr key={r.id}>
                    <td>{when(r.redeemedAt)}</td>
                    <td>{r.voucher.product.name}{r.reversedAt ? " (undone)" : ""}</td>
                    <td>{money(r.amount, r.voucher.product.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </>
  );
}

function VoucherFacts({ voucher, redeemable }) {
  const p = voucher.product;
  const value = p.kind === "AMOUNT" ? money(p.value, p.currency) : p.kind === "PERCENT" ? `${p.value} % off` : `${p.value} item(s)`;
  return (
    <dl class="facts" data-testid="voucher">
      <dt>Product</dt><dd>{p.name}</dd>
      <dt>Value</dt><dd>{value}</dd>
      <dt>Left</dt><dd>{p.kind === "AMOUNT" ? money(voucher.balance, p.currency) : voucher.balance}</dd>
      <dt>Expires</dt><dd>{when(voucher.expiresAt)}</dd>
      <dt>Here</dt><dd>{redeemable ? "Valid here" : "Not usable here"}{" "}
        <span class={`badge ${voucher.status}`}>{voucher.status.replace("_", " ").toLowerCase()}</span></dd>
    </dl>
  );
}

/** The camera, where the browser can read QR codes itself; typing always works. */
function Scanner({ onCode }) {
  const [on, setOn] = useState(false);
  const video = useRef(null);
  const supported = typeof window !== "undefined" && "BarcodeDetector" in window &&
    navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  useEffect(() => {
    if (!on) return undefined;
    let stream; let stopped = false;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then((s) => {
      stream = s; video.current.srcObject = s; video.current.play();
      const tick = async () => {
        if (stopped) return;
        const found = await detector.detect(video.current).catch(() => []);
        if (found.length) { setOn(false); onCode(found[0].rawValue); return; }
        setTimeout(tick, 250);
      };
      tick();
    }).catch(() => setOn(false));
    return () => { stopped = true; if (stream) stream.getTracks().forEach((t) => t.stop()); };
  }, [on]);
  if (!supported) return null;
  return (
    <div>
      <button type="button" onClick={() => setOn(!on)}>{on ? "Stop camera" : "Scan QR code"}</button>
      {on && <video ref={video} class="scanner" muted playsinline />}
    </div>
  );
}

render(<App />, document.getElementById("app"));
