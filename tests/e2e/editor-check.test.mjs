// End-to-end: the editor checks the manifest as the learner types — markers on the exact
// line from the decoder and the server's dry run — and offers templates per kind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const setText = (lines) => page.evaluate((t) => window.kubelabEditor.setValue(t), lines.join("\n"));
const markers = () =>
  page.evaluate(() => window.monaco.editor.getModelMarkers({ owner: "kubelab" })
    .map((m) => ({ line: m.startLineNumber, column: m.startColumn, message: m.message,
      warning: m.severity === window.monaco.MarkerSeverity.Warning })));
const checkState = (state) =>
  page.locator(`[data-testid=editor-check][data-state=${state}]`).waitFor({ timeout: 10_000 });

test("an unknown field is marked on its line", async () => {
  await setText([
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: marked",
    "spec:",
    "  containers:",
    "  - name: web",
    "    imagee: nginx",
    "",
  ]);
  await checkState("problems");
  const found = await markers();
  assert.deepEqual(found.map((m) => m.line), [8]);
  assert.match(found[0].message, /unknown field "spec\.containers\[0\]\.imagee"/);
  await page.locator(".monaco-editor .squiggly-error").first().waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/editor-marker.png` });
});

test("a YAML syntax error is marked at the decoder's line", async () => {
  await setText([
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "\tname: broken",
    "data:",
    "  a: b",
    "",
  ]);
  await checkState("problems");
  const found = await markers();
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^error parsing manifest\.yaml: error converting YAML to JSON: yaml: line 4: /);
  assert.equal(found[0].line, 4, "the marker sits on the line with the tab");
});

test("the server's validation errors are marked on the field they name", async () => {
  await setText([
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: badport",
    "spec:",
    "  containers:",
    "  - name: web",
    "    image: nginx",
    "    ports:",
    "    - containerPort: 70000",
    "",
  ]);
  await checkState("problems");
  const found = await markers();
  assert.deepEqual(found.map((m) => m.line), [10]);
  assert.match(found[0].message, /spec\.containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 70000/);
});

test("a valid manifest passes the server dry run and creates nothing", async () => {
  await setText(["apiVersion: v1", "kind: Namespace", "metadata:", "  name: dry", ""]);
  await checkState("ok");
  assert.deepEqual(await markers(), []);
  assert.match(await page.getByTestId("editor-check").textContent(), /namespace\/dry created \(server dry run\)/);
  const input = page.getByTestId("terminal-input");
  await input.fill("kubectl get ns dry");
  await input.press("Enter");
  await page.getByTestId("terminal-output").getByText('Error from server (NotFound): namespaces "dry" not found').waitFor();
});

test("applying over an object made by create is a warning, not an error", async () => {
  const input = page.getByTestId("terminal-input");
  await input.fill("kubectl create configmap made-by-create");
  await input.press("Enter");
  await page.getByTestId("terminal-output").getByText("configmap/made-by-create created").waitFor();
  await setText(["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: made-by-create", "data:", "  a: b", ""]);
  await checkState("ok");
  const found = await markers();
  assert.equal(found.length, 1);
  assert.equal(found[0].warning, true, "a warning, not an error");
  assert.equal(found[0].line, 1);
  assert.match(found[0].message, /^resource configmaps\/made-by-create is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/);
  const status = await page.getByTestId("editor-check").textContent();
  assert.match(status, /configmap\/made-by-create configured \(server dry run\)/);
  assert.doesNotMatch(status, /Warning/);
  await page.locator(".monaco-editor .squiggly-warning").first().waitFor();
  assert.equal(await page.locator(".monaco-editor .squiggly-error").count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/editor-warning.png` });
});

test("templates insert a manifest of the chosen kind that applies", async () => {
  await setText([""]);
  await page.getByTestId("editor-templates").selectOption("deployment");
  const text = await page.evaluate(() => window.kubelabEditor.getValue());
  assert.match(text, /^apiVersion: apps\/v1\nkind: Deployment\n/);
  await checkState("ok");
  await page.getByTestId("apply-button").click();
  await page.getByTestId("terminal-output").getByText("deployment.apps/web created").waitFor();
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
