// Builds the two pages into dist/: one small script and one stylesheet each, no CDN.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const pages = ["till", "console"];
const watch = process.argv.includes("--dev");

for (const page of pages) {
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
  const html = readFileSync(`src/${page}/index.html`, "utf8");
  writeFileSync(`dist/${page}/index.html`, html);
  cpSync("src/shared/style.css", `dist/${page}/style.css`);
}
// GraphiQL for `kado dev`, from the npm packages: offline, no CDN.
mkdirSync("dist/graphiql", { recursive: true });
for (const file of ["graphiql/graphiql.min.js", "graphiql/graphiql.min.css",
  "react/umd/react.production.min.js", "react-dom/umd/react-dom.production.min.js"]) {
  cpSync(`node_modules/${file}`, `dist/graphiql/${file.split("/").pop()}`);
}

console.log(`built ${pages.map((p) => `dist/${p}`).join(", ")}`);
