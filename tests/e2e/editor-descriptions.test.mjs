// End-to-end: the API's field descriptions come as a file beside the wasm
// (`descriptions.json`, see web::field_descriptions). Served, explain prints them; missing or
// corrupt, the editor says why and completion, hover and explain go on without them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, EDITOR_READY } from "./browser.mjs";

let lab, page, errors, url;

before(async () => {
  lab = await openLab({ goto: false });
  ({ page, errors, url } = lab);
});

after(async () => lab?.close());

const output = () => page.getByTestId("terminal-output");
const notice = () => page.getByTestId("editor-descriptions-failed");

// Opens the page with `descriptions.json` answered by `answer` (null: served as built).
async function openWith(answer) {
  await page.unroute("**/descriptions.json");
  if (answer) await page.route("**/descriptions.json", (route) => route.fulfill(answer));
  await page.goto(url);
  await page.locator(EDITOR_READY).waitFor({ timeout: 30_000 });
}

// Types a key inside the starter pod's container and waits for `field` among the suggestions.
async function completes(field) {
  await page.evaluate(() => {
    const ed = window.kubelabEditor;
    ed.setValue("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    ");
    ed.setPosition({ lineNumber: 6, column: 5 });
    ed.focus();
  });
  await page.keyboard.type("liven");
  const widget = page.locator(".suggest-widget.visible");
  await widget.locator(".monaco-list-row", { hasText: field }).waitFor();
  await page.keyboard.press("Escape");
}

test("served, the descriptions reach kubectl explain and no notice shows", async () => {
  await openWith(null);
  await runIn(page, "kubectl explain pod.spec.containers.image");
  await output().getByText("Container image name", { exact: false }).waitFor();
  assert.equal(await notice().count(), 0);
});

test("a missing file is named in the editor, and completion and explain still work", async () => {
  await openWith({ status: 404, contentType: "text/plain", body: "not found" });
  await notice().waitFor();
  assert.match(await notice().textContent(), /descriptions\.json: HTTP 404/);
  await completes("livenessProbe");
  await runIn(page, "kubectl explain pod.spec.nodeName");
  await output().getByText("FIELD: nodeName <string>").waitFor();
  assert.equal(await output().getByText("NodeName indicates", { exact: false }).count(), 0);
});

test("a corrupt file is named in the editor, which still completes", async () => {
  await openWith({ status: 200, contentType: "application/json", body: "{\"kinds\": [" });
  await notice().waitFor();
  assert.match(await notice().textContent(), /descriptions\.json: not valid JSON/);
  await completes("livenessProbe");
  assert.deepEqual(errors, []);
});
