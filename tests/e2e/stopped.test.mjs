// End-to-end: when the app's wasm traps (web/js/stopped.js), the page says so in both languages,
// keeps the editor's text and reloads into the lab with it; other script errors do not count.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, EDITOR_READY, SCREENSHOTS } from "./browser.mjs";

let lab, page;

before(async () => {
  lab = await openLab();
  ({ page } = lab);
});

after(async () => lab?.close());

const notice = () => page.getByTestId("lab-stopped");

// Throws `kind` from a task of its own, as a trap inside an event handler or a frame would.
async function throwInTask(kind) {
  await page.evaluate((kind) => {
    setTimeout(() => {
      throw kind === "trap" ? new WebAssembly.RuntimeError("unreachable") : new Error("not the app");
    });
  }, kind);
}

test("a script error that is not a wasm trap shows no notice", async () => {
  await throwInTask("error");
  await page.waitForTimeout(300);
  assert.equal(await notice().count(), 0);
});

test("a wasm trap shows the notice, keeps the editor text and reloads into it", async () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept-after-a-trap\n";
  await page.evaluate((text) => window.kubelabEditor.setValue(text), text);
  // Only the page's handler can have saved it below: the app's own save already ran.
  await page.evaluate(() => localStorage.removeItem("kubelab.editor.text"));
  await throwInTask("trap");
  await notice().waitFor();
  const words = await notice().textContent();
  assert.match(words, /The lab stopped after an internal error \(unreachable\)/);
  assert.match(words, /实验环境因内部错误停止/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem("kubelab.editor.text"))), text);
  await page.screenshot({ path: `${SCREENSHOTS}/lab-stopped.png` });
  // Focus is on Reload, so Enter reloads, as a click does.
  await page.keyboard.press("Enter");
  await page.locator(EDITOR_READY).waitFor({ timeout: 30_000 });
  assert.equal(await notice().count(), 0);
  assert.equal(await page.evaluate(() => window.kubelabEditor.getValue()), text);
});
