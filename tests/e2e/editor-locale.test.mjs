// End-to-end: Monaco's own UI (find widget, context menu) speaks the page's language. Monaco
// reads its strings once, as it loads, so switching the page to 中文 says the editor's menus
// follow on a reload; the reload keeps the learner's text and brings the menus over.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, EDITOR_READY, SCREENSHOTS } from "./browser.mjs";

let lab, page;

before(async () => {
  lab = await openLab();
  page = lab.page;
});

after(async () => lab?.close());

const TEXT = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kept-across-reload\n";

// Opens the find widget (Ctrl+F in the editor) and returns its input's placeholder.
async function findPlaceholder() {
  await page.evaluate(() => window.kubelabEditor.focus());
  await page.keyboard.press("Control+f");
  const input = page.locator(".find-widget.visible textarea, .find-widget.visible input").first();
  await input.waitFor({ timeout: 10_000 });
  const placeholder = await input.getAttribute("placeholder");
  await page.keyboard.press("Escape");
  return placeholder;
}

// Right-clicks the editor's text and returns the context menu's item labels.
async function contextMenuLabels() {
  const line = page.locator("[data-testid=editor] .view-line").first();
  await line.click({ button: "right" });
  const menu = page.locator(".monaco-menu .action-label");
  await menu.first().waitFor({ timeout: 10_000 });
  const labels = await menu.allTextContents();
  await page.keyboard.press("Escape");
  return labels;
}

test("the editor's own menus follow the page language after a reload, keeping the text", async () => {
  await page.evaluate((text) => window.kubelabEditor.setValue(text), TEXT);
  assert.equal(await findPlaceholder(), "Find");
  const english = await contextMenuLabels();
  assert.ok(english.includes("Command Palette"), english.join(" | "));
  assert.ok(english.includes("Explain (kubectl explain)"), english.join(" | "));

  await page.getByTestId("language").selectOption("zh-CN");
  const note = page.getByTestId("editor-locale-note");
  await note.waitFor();
  assert.match(await note.textContent(), /重新加载页面后切换为中文/);
  await page.screenshot({ path: `${SCREENSHOTS}/editor-locale-note.png` });

  await page.getByTestId("editor-locale-reload").click();
  await page.waitForLoadState("load");
  await page.locator(EDITOR_READY).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
  assert.equal(await page.evaluate(() => window.kubelabEditor.getValue()), TEXT);
  assert.equal(await page.getByTestId("editor-locale-note").count(), 0);
  assert.equal(await findPlaceholder(), "查找");
  const labels = await contextMenuLabels();
  assert.ok(labels.includes("命令面板"), labels.join(" | "));
  assert.ok(labels.includes("解释 (kubectl explain)"), labels.join(" | "));
  await page.screenshot({ path: `${SCREENSHOTS}/editor-locale-zh.png` });

  // Back to English: the note says so in English, and the reload brings English menus.
  await page.getByTestId("language").selectOption("en");
  await page.getByTestId("editor-locale-note").getByText(/switch to English/).waitFor();
  await page.getByTestId("editor-locale-reload").click();
  await page.waitForLoadState("load");
  await page.locator(EDITOR_READY).waitFor({ timeout: 60_000 });
  assert.equal(await findPlaceholder(), "Find");
  assert.equal(await page.evaluate(() => window.kubelabEditor.getValue()), TEXT);
});

test("no page errors and no request left localhost", () => {
  assert.deepEqual(lab.blocked, []);
  assert.deepEqual(lab.errors, []);
});
