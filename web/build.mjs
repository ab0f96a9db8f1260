// Builds the two pages into dist/: one small script and one stylesheet each, no CDN.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const pages = { till: "Kado till", console: "Kado console" };
const watch = process.argv.includes("--dev");

// Each page's HTML: a shell that loads its one script and stylesheet (absolute paths, so
// /till and /till/ both work).
const shell = (page, title) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/${page}/style.css">
<link rel="icon" type="image/svg+xml" href="/${page}/icon.svg">
</head>
<body>
<div id="app"><main><p>Loading…</p></main></div>
<script src="/${page}/app.js"></script>
</body>
</html>
`;

for (const [page, title] of Object.entries(pages)) {
  mkdirSync(`dist/${page}`, { recursive: true });
  await build({
    entryPoints: [`src/${page}/main.jsx`],
    bundle: true,
    minify: !watch,
    sourcemap: watch ? "inline" : false,
    target: ["es2020", "safari14"], // old phones at the till
    jsx: "automatic",
    jsxImportSource: "preact",
    outfile: `dist/${page}/app.js`,
    logLevel: "warning",
  });
  writeFileSync(`dist/${page}/index.html`, shell(page, title));
  // One stylesheet a page: ours, then the chart library's (the console draws with uPlot).
  writeFileSync(`dist/${page}/style.css`, readFileSync("src/shared/style.css", "utf8") +
    (page === "console" ? readFileSync("node_modules/uplot/dist/uPlot.min.css", "utf8") : ""));
  cpSync("src/shared/icon.svg", `dist/${page}/icon.svg`); // asked for by every browser
}
// GraphiQL for `kado dev`, from the npm packages: offline, no CDN.
mkdirSync("dist/graphiql", { recursive: true });
for (const file of ["graphiql/graphiql.min.js", "graphiql/graphiql.min.css",
  "react/umd/react.production.min.js", "react-dom/umd/react-dom.production.min.js"]) {
  cpSync(`node_modules/${file}`, `dist/graphiql/${file.split("/").pop()}`);
}

console.log(`built ${Object.keys(pages).map((p) => `dist/${p}`).join(", ")}`);
