// Build the front-end assets into static/dist from what npm installed.
// Nothing third-party is committed: static/dist is generated.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = "static/dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const copies = [
  ["node_modules/@picocss/pico/css/pico.min.css", `${out}/pico.min.css`],
  ["node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`],
];
for (const [from, to] of copies) cpSync(from, to);

// app.js runs on every page; editor.js (prism-code-editor) only on the
// exercise page. The editor's layout CSS is bundled into editor.js as text.
const bundles = [
  ["static/src/app.js", `${out}/app.js`],
  ["static/src/editor.js", `${out}/editor.js`],
  // The Parsons problem widget, only on the ladder's Parsons page.
  ["static/src/parsons.js", `${out}/parsons.js`],
];
for (const [entry, outfile] of bundles) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outfile,
    legalComments: "none",
    logLevel: "warning",
    loader: { ".css": "text" },
    metafile: true,
  });
  // What landed in the bundle, by package, largest first.
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const byPackage = {};
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const name = match ? match[1] : path;
    byPackage[name] = (byPackage[name] || 0) + bytesInOutput;
  }
  const parts = Object.entries(byPackage)
    .sort((a, b) => b[1] - a[1])
    .map(([name, size]) => `${name} ${size}`);
  console.log(`${outfile}: ${readFileSync(outfile).length} bytes (${parts.join(", ")})`);
}

// The exercise page is the heaviest of the built ones: it loads htmx, app.js
// and editor.js; the others load htmx and app.js. The budget is of minified
// bytes ("no page above 300 KB of JS"; tests/e2e/test_coding.py holds every
// page of a student's journey to the same number in the browser); gzip is
// what is sent.
const budget = 300_000;
const exercisePage = ["htmx.min.js", "app.js", "editor.js"].map((name) =>
  readFileSync(`${out}/${name}`),
);
const bytes = exercisePage.reduce((sum, data) => sum + data.length, 0);
const gzipped = exercisePage.reduce((sum, data) => sum + gzipSync(data, { level: 9 }).length, 0);
console.log(
  `assets built into ${out}/; the exercise page's JavaScript: ${bytes} bytes minified (budget ${budget}), ${gzipped} gzipped`,
);
if (bytes > budget) {
  console.error(`over the budget of ${budget} bytes`);
  process.exit(1);
}
