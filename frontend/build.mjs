// The one asset build: SCSS (GOV.UK Frontend themed) and ES modules, bundled by esbuild into static/dist.
import * as esbuild from "esbuild";
import * as sass from "sass";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend/scss/yizhan.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(out, "yizhan.css"), css.css);

// GOV.UK Frontend's images, served from /static/govuk/ as the theme's assets path says.
cpSync(join(root, "node_modules/govuk-frontend/dist/govuk/assets/images"), join(root, "static/govuk/images"), { recursive: true });

// The API viewer (drf-spectacular's Swagger UI at /api/docs/) from npm, served from /static/vendor/
// like everything else: nothing from a CDN, so it works offline and under the Content-Security-Policy.
const swaggerOut = join(root, "static/vendor/swagger-ui");
mkdirSync(swaggerOut, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "favicon-32x32.png"]) {
  cpSync(join(root, "node_modules/swagger-ui-dist", name), join(swaggerOut, name));
}

const entryPoints = readdirSync(join(root, "frontend/js"))
  .filter((name) => name.endsWith(".mjs") && !name.startsWith("_"))
  .map((name) => join(root, "frontend/js", name));

await esbuild.build({
  entryPoints,
  outdir: out,
  bundle: true,
  format: "esm",
  splitting: true,
  minify: true,
  sourcemap: true,
  target: ["es2022"],
  outExtension: { ".js": ".js" },
  logLevel: "warning",
});
console.log(`assets built into ${out}`);
