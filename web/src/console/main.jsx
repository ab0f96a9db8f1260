import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { client } from "../shared/api.js";
import { t } from "../shared/i18n.js";
import { Languages } from "../shared/Languages.jsx";
import { currentToken, loadConfig, signedInAs, signOut } from "../shared/session.js";
import { SignIn } from "../shared/SignIn.jsx";
import { PAGES, route } from "./pages.js";

const ROLE = "admin";

function useHash() {
  const [hash, setHash] = useState(location.hash || "#/campaigns");
  useEffect(() => {
    const moved = () => setHash(location.hash || "#/campaigns");
    addEventListener("hashchange", moved);
    return () => removeEventListener("hashchange", moved);
  }, []);
  return hash;
}

function App() {
  const [config, setConfig] = useState(null);
  const [token, setToken] = useState(null);
  const [problem, setProblem] = useState(null);
  const [, setShown] = useState(0); // a new language renders the page again
  const hash = useHash();
  useEffect(() => {
    loadConfig().then(async (c) => { setConfig(c); setToken(await currentToken(ROLE, c)); });
  }, []);
  if (!config) return <main><p>{t("common.loading")}</p></main>;
  if (!token) return <SignIn role={ROLE} config={config} onToken={setToken} problem={problem} />;
  const raw = client(config.apiBase || "", "/admin/graphql", token);
  const call = async (query, variables) => {
    try {
      return await raw(query, variables);
    } catch (error) {
      if (error.code === "UNAUTHORIZED") {
        signOut(ROLE); setProblem(error.message); setToken(null);
      }
      throw error;
    }
  };
  call.apiBase = config.apiBase || window.location.origin; // where links to the API open
  const { page, params } = route(hash);
  const Page = page.component;
  return (
    <>
      <header class="bar">
        <h1>{t("console.title")}</h1>
        <nav>
          {PAGES.filter((p) => p.menu).map((p) => (
            <a key={p.path} href={`#${p.menu}`} class={page.section === p.section ? "active" : ""}>{t(p.title)}</a>
          ))}
        </nav>
        <span class="who" data-testid="signed-in-as">
          {(({ program, role, subject }) => t("console.signedInAs", { subject, role, program }))(signedInAs(token))}
        </span>
        <Languages onChange={() => setShown((n) => n + 1)} />
        <button class="who" onClick={() => { signOut(ROLE); setToken(null); }}>{t("common.signOut")}</button>
      </header>
      <main><Page call={call} params={params} key={hash} /></main>
    </>
  );
}

render(<App />, document.getElementById("app"));
