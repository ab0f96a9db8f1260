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
console.log(`built ${pages.map((p) => `dist/${p}`).join(", ")}`);
