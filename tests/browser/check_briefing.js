// Checks an rfsim briefing (or comparison) page in Debian's headless Chromium, driven by
// playwright-core (never a downloaded browser):
//   - with the network off it loads, makes no request but for the file itself, and logs
//     no console error and no page error;
//   - the interactive map draws the districts, and moving the day slider recolours them;
//     choosing another indicator changes the legend; a district's tooltip names it;
//   - in print the interactive map is hidden and the static map shown;
//   - it prints to an A4 PDF of several pages, which pdftoppm renders page by page, none
//     of them blank.
// Usage: node check_briefing.js PAGE.html OUT_DIR   (OUT_DIR gets the PDF and page PNGs)
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error('playwright-core is not installed in tests/browser: run scripts/install-deps');
  process.exit(1);
}
const CHROMIUM = process.env.RFSIM_CHROMIUM || '/usr/bin/chromium';

const [page_path, out_dir] = process.argv.slice(2);
let failures = 0, passes = 0;
function check(ok, what) {
  if (ok) { ++passes; return; }
  ++failures;
  console.error('FAILED: ' + what);
}

(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(CHROMIUM + ' not found: run scripts/install-deps (Debian package chromium)');
    process.exit(1);
  }
  fs.mkdirSync(out_dir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
    const page = await context.newPage();
    const url = 'file://' + path.resolve(page_path);
    const requests = [], problems = [];
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url().slice(0, 120)); });
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    check(requests.length === 0, 'no request but for the page itself; made: ' + requests.join(', '));
    check(problems.length === 0, 'no console or page error; got: ' + problems.join(' | '));

    // The map: district paths, recoloured by the slider.
    const fills = () => page.$$eval('#leaflet-map path.leaflet-interactive',
                                    (paths) => paths.map((p) => p.getAttribute('fill')));
    const before = await fills();
    check(before.length >= 30, 'the map draws the districts (' + before.length + ' paths)');
    const slider = page.locator('#day-slider');
    const current = Number(await slider.inputValue());
    const max = Number(await slider.getAttribute('max'));
    check(max > 7, 'the slider spans the run (max ' + max + ')');
    await slider.evaluate((s, v) => { s.value = String(v); s.dispatchEvent(new Event('input')); },
                          current === 0 ? max : 0);
    const after = await fills();
    check(after.length === before.length && after.some((f, i) => f !== before[i]),
          'moving the slider changes the colours of the map');
    const label = await page.locator('#day-label').textContent();
    check(/\d{4}/.test(label), 'the slider says which day it shows: ' + label);
    const legend = await page.locator('#map-legend').textContent();
    await page.selectOption('#layer-picker', { index: 1 });
    check((await page.locator('#map-legend').textContent()) !== legend,
          'choosing another indicator changes the legend');
    await page.locator('#leaflet-map path.leaflet-interactive').first().hover({ force: true });
    const tooltip = await page.locator('.leaflet-tooltip').first().textContent().catch(() => '');
    check(tooltip.length > 10, 'a district has a tooltip with its figures');
    await page.screenshot({ path: path.join(out_dir, 'screen.png'), fullPage: false });

    // Print: the static map instead of the interactive one.
    await page.emulateMedia({ media: 'print' });
    check(!(await page.locator('#leaflet-map').isVisible()), 'in print the interactive map is hidden');
    check(await page.locator('figure.static-map').isVisible(), 'in print the static map is shown');
    const pdf = path.join(out_dir, 'briefing.pdf');
    await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
    const info = execFileSync('pdfinfo', [pdf]).toString();
    const pages = Number((/Pages:\s+(\d+)/.exec(info) || [0, 0])[1]);
    check(pages >= 5, 'the PDF has several pages (' + pages + ')');
    for (const f of fs.readdirSync(out_dir)) if (/^page-\d+\.png$/.test(f)) fs.unlinkSync(path.join(out_dir, f));
    execFileSync('pdftoppm', ['-r', '40', '-png', pdf, path.join(out_dir, 'page')]);
    const rendered = fs.readdirSync(out_dir).filter((f) => /^page-\d+\.png$/.test(f));
    check(rendered.length === pages, 'pdftoppm renders every page (' + rendered.length + ' of ' + pages + ')');
    // No page is blank (a chart or map alone is drawn, not text): each, rendered in grey,
    // has ink on more than 0.2 % of it (a page number alone has less).
    execFileSync('pdftoppm', ['-r', '20', '-gray', pdf, path.join(out_dir, 'grey')]);
    for (const f of fs.readdirSync(out_dir).filter((f) => /^grey-\d+\.pgm$/.test(f)).sort()) {
      const pgm = fs.readFileSync(path.join(out_dir, f));
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
      const pixels = pgm.subarray(header[0].length);
      let ink = 0;
      for (const v of pixels) if (v < 200) ++ink;
      check(ink > 0.002 * pixels.length, f + ' is not blank (' + ink + ' dark pixels)');
      fs.unlinkSync(path.join(out_dir, f));
    }
    const all = execFileSync('pdftotext', [pdf, '-']).toString();
    for (const heading of ['Key figures', 'Quarantine', 'Social workers', 'assumptions', 'Provenance'])
      check(all.includes(heading), 'the printed briefing has "' + heading + '"');
  } finally {
    await browser.close();
  }
  console.log(passes + ' passed, ' + failures + ' failed');
  process.exit(failures === 0 ? 0 : 1);
})().catch((e) => {
  console.error('FAILED: ' + e.message);
  process.exit(1);
});
