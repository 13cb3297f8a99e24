// Front-end build: `npm run build` (run from the project root).
//
//   static/scss/app.scss  ->  static/css/app.css   (Sass, compressed, no map)
//   govuk-frontend.min.js ->  static/govuk/         (ES module, plus its map)
//   GOV.UK images         ->  static/govuk/assets/images/  (allow-list only)
//
// Fonts are never copied (council: no GDS Transport) and no crown-branded
// image is copied. The built files are committed, so the app needs no npm.

import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const nodeModules = join(root, "node_modules");
const govukDist = join(nodeModules, "govuk-frontend", "dist", "govuk");
const outGovuk = join(root, "static", "govuk");

// Every image GOV.UK Frontend 6.3.0 ships is GOV.UK/crown branded (crown
// favicons and app icons, the GOV.UK Open Graph image, the Royal Coat of Arms
// crest), so none is allowed. Add a file here only after looking at it.
const ALLOWED_IMAGES = new Set([]);

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function fileSize(path) {
  return `${statSync(path).size} bytes`;
}

// 1. CSS
const cssOut = join(root, "static", "css", "app.css");
const result = sass.compile(join(root, "static", "scss", "app.scss"), {
  style: "compressed",
  sourceMap: false,
  loadPaths: [nodeModules],
});
const css = result.css;
for (const banned of ["@font-face", "GDS Transport", "govuk-crest", ".woff"]) {
  if (css.includes(banned)) fail(`app.css must not contain "${banned}"`);
}
for (const match of css.matchAll(/url\(\s*["']?([^"')]+)/g)) {
  const url = match[1];
  if (url.startsWith("data:")) continue;
  if (!url.startsWith("/static/govuk/assets/images/")) fail(`unexpected url() in app.css: ${url}`);
  if (!ALLOWED_IMAGES.has(url.split("/").pop())) fail(`app.css uses an image not copied: ${url}`);
}
mkdirSync(dirname(cssOut), { recursive: true });
writeFileSync(cssOut, css + "\n");
console.log(`static/css/app.css: ${fileSize(cssOut)}`);

// 2. JavaScript (ES module: load with <script type="module">)
mkdirSync(outGovuk, { recursive: true });
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  const src = join(govukDist, name);
  if (!existsSync(src)) fail(`missing ${src}`);
  copyFileSync(src, join(outGovuk, name));
  console.log(`static/govuk/${name}: ${fileSize(join(outGovuk, name))}`);
}

// 3. Images: start clean so nothing excluded can linger, copy the allow-list.
const imagesSrc = join(govukDist, "assets", "images");
const imagesOut = join(outGovuk, "assets", "images");
rmSync(join(outGovuk, "assets"), { recursive: true, force: true });
for (const name of readdirSync(imagesSrc).sort()) {
  if (ALLOWED_IMAGES.has(name)) {
    mkdirSync(imagesOut, { recursive: true });
    copyFileSync(join(imagesSrc, name), join(imagesOut, name));
    console.log(`static/govuk/assets/images/${name}: copied`);
  } else {
    console.log(`assets/images/${name}: not copied (GOV.UK/crown branded)`);
  }
}
console.log("assets/fonts/, assets/manifest.json: not copied (GDS Transport / GOV.UK icons)");
