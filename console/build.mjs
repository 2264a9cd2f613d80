// Bundles the console into the Python package (src/skyorder/api/console/static), where the
// server serves it from. Run by `make console`; the output is not committed.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

const outdir = new URL("../src/skyorder/api/console/static/", import.meta.url).pathname;
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { console: "src/main.js" },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  outdir,
  loader: { ".png": "dataurl", ".svg": "dataurl", ".json": "json" },
  legalComments: "eof",
  logLevel: "info",
});
