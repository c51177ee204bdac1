// End-to-end: what a learner meets on the page in both languages and themes — a keyboard user
// can leave the editor (Tab indents there) and the terminal (Tab completes there) and is told
// how, the primary buttons stay readable in the dark theme, the activity chart follows the
// theme, and at tablet width the cluster drawing stays large enough to read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, EDITOR_READY, SCREENSHOTS } from "./browser.mjs";

let lab, url, page, errors, blocked;

before(async () => {
  lab = await openLab();
  ({ url, page, errors, blocked } = lab);
});

after(async () => lab?.close());

const focused = () => page.evaluate(() => {
  const el = document.activeElement;
  return el?.dataset?.testid ?? el?.getAttribute("aria-label") ?? el?.tagName;
});

// WCAG relative luminance and contrast of two `rgb(…)` colours.
function luminance(css) {
  const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function setLangAndTheme(lang, theme) {
  await page.evaluate(([l, t]) => {
    localStorage.setItem("kubelab.lang", JSON.stringify(l));
    localStorage.setItem("kubelab.theme", JSON.stringify(t));
  }, [lang, theme]);
  await page.goto(url);
  await page.locator(EDITOR_READY).waitFor({ timeout: 30_000 });
}

test("Escape then Tab leaves the editor, and the editor says so while it has focus", async () => {
  const hint = page.getByTestId("editor-keys-hint");
  assert.equal(await hint.isVisible(), false, "no hint before the editor has focus");
  await page.getByTestId("apply-button").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("inputarea")), true, "Tab enters the editor");
  await hint.waitFor();
  assert.equal(await hint.textContent(), "Esc, then Tab: leave the editor");
  // Tab alone indents, as in any code editor.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("inputarea")), true);
  await page.keyboard.press("Control+Z");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Resize the editor", "the next control after the editor has focus");
  assert.ok(await page.evaluate(() => document.activeElement.matches(":focus-visible")));
  assert.equal(await hint.isVisible(), false);
  await page.screenshot({ path: `${SCREENSHOTS}/learner-left-editor.png` });
  // And backwards, to the Apply button above it.
  await page.evaluate(() => window.kubelabEditor.focus());
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "apply-button");
});

test("Escape then Tab leaves the terminal, where Tab alone completes, and the terminal says so", async () => {
  const input = page.getByTestId("terminal-input");
  const hint = page.getByTestId("terminal-keys-hint");
  assert.equal(await hint.isVisible(), false, "no hint before the terminal has focus");
  await input.focus();
  await hint.waitFor();
  assert.equal(await hint.textContent(), "Esc, then Tab: leave the terminal");
  // The hint sits above the input line, inside the terminal, not over what is typed.
  const [box, hintBox] = [await input.boundingBox(), await hint.boundingBox()];
  const pane = await page.locator(".terminal").boundingBox();
  assert.ok(hintBox.y + hintBox.height <= box.y + 1, `hint ends at y=${hintBox.y + hintBox.height}, input starts at ${box.y}`);
  assert.ok(hintBox.x + hintBox.width <= pane.x + pane.width, "the hint is not cut off at the terminal's edge");
  await input.pressSequentially("kubectl get namesp");
  await page.keyboard.press("Tab");
  assert.equal(await input.inputValue(), "kubectl get namespaces ", "Tab completes");
  assert.equal(await focused(), "terminal-input", "and keeps the focus");
  await page.screenshot({ path: `${SCREENSHOTS}/learner-terminal-hint.png` });
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "drawer-toggle", "the next control after the terminal (the drawer's) has focus");
  assert.equal(await input.inputValue(), "kubectl get namespaces ", "leaving completed nothing");
  assert.equal(await hint.isVisible(), false);
  // Shift+Tab leaves backwards, to the control before the input line (the new-tab button).
  await input.focus();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "terminal-new-tab");
  // Escape followed by another key arms nothing: Tab completes again.
  await input.focus();
  await page.keyboard.press("Escape");
  await page.keyboard.press("End");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "terminal-input");
  await input.fill("");
});

test("in the dark theme the primary buttons keep readable text and the chart is dark", async () => {
  await setLangAndTheme("zh-CN", "dark");
  for (const id of ["apply-button", "share-button"]) {
    const { fg, bg } = await page.getByTestId(id).evaluate((el) => {
      const s = getComputedStyle(el);
      return { fg: s.color, bg: s.backgroundColor };
    });
    assert.ok(contrast(fg, bg) >= 4.5, `${id}: text contrast ${contrast(fg, bg).toFixed(2)} (${fg} on ${bg})`);
  }
  // The activity chart is drawn on the dark panel colour, not on white.
  const corner = await page.getByTestId("metrics-chart").evaluate((c) => [...c.getContext("2d").getImageData(2, 2, 1, 1).data]);
  assert.ok(corner[0] < 80 && corner[1] < 80 && corner[2] < 80, `chart background ${corner}`);
  // The keyboard hint is translated.
  await page.evaluate(() => window.kubelabEditor.focus());
  assert.equal(await page.getByTestId("editor-keys-hint").textContent(), "先按 Esc 再按 Tab：离开编辑器");
  assert.equal(await page.getByTestId("terminal-keys-hint").textContent(), "先按 Esc 再按 Tab：离开终端");
  await page.screenshot({ path: `${SCREENSHOTS}/learner-dark-zh.png` });
});

test("at tablet width the cluster drawing is large enough to read", async () => {
  await setLangAndTheme("en", "light");
  await page.setViewportSize({ width: 800, height: 1000 });
  const name = page.locator("svg [data-testid=node] .cv-node-name").first();
  await name.waitFor();
  const height = await name.evaluate((t) => t.getBoundingClientRect().height);
  assert.ok(height >= 12, `node names are ${height.toFixed(1)} px tall`);
  await page.screenshot({ path: `${SCREENSHOTS}/learner-tablet.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
});

test("no page errors and no request left localhost", () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(blocked, []);
});
