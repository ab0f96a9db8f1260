// The GraphQL-over-HTTP specification's own audit (graphql-http's serverAudits) against one
// endpoint: `node graphql-http-audit.mjs URL TOKEN` prints one JSON line per audit
// ({id, name, status: ok|warn|error, reason}). The token rides on every request, as an
// app's would; the audit sends its own bodies and headers otherwise.
import { serverAudits } from "graphql-http";

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  console.log(JSON.stringify({ id: audit.id, name: audit.name, status: result.status,
                               reason: result.reason || null }));
}
