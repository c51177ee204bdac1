// End-to-end: the editor as a reference — field completion and hover docs from the kinds'
// schemas, "Explain" of the field under the cursor, and `kubectl edit` opening the live object
// in an editor tab that saves back through kubectl (errors reopen it under kubectl's header).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ blocked, page, errors } = lab);
});

after(async () => lab?.close());

const output = () => page.getByTestId("terminal-output");
const run = (line) => runIn(page, line);
const editorText = () => page.evaluate(() => window.kubelabEditor.getValue());
// Puts the text in the editor and the cursor at (line, column), focused, as after a click.
async function setText(text, line, column) {
  await page.evaluate(
    ({ text, line, column }) => {
      const ed = window.kubelabEditor;
      ed.setValue(text);
      ed.setPosition({ lineNumber: line, column });
      ed.focus();
    },
    { text, line, column },
  );
}
// Moves the mouse over (line, column) of the editor once Monaco has drawn that line's text.
// Monaco draws a new text on the next animation frame; a mouse that arrives before (as when
// the machine is loaded) rests on the old line's span, and when that span is replaced the
// browser reports the pointer leaving the editor, which cancels the pending hover for good
// (a resting mouse sends no further move).
async function hoverAt(line, column) {
  const drawn = await page.waitForFunction(
    ({ line, column }) => {
      const ed = window.kubelabEditor;
      ed.revealLine(line);
      const text = ed.getModel().getLineContent(line);
      const lines = Array.from(ed.getDomNode().querySelectorAll(".view-line"));
      if (!lines.some((l) => l.textContent.replace(/\u00a0/g, " ") === text)) return null;
      const p = ed.getScrolledVisiblePosition({ lineNumber: line, column });
      const r = ed.getDomNode().getBoundingClientRect();
      return { x: r.left + p.left + 3, y: r.top + p.top + p.height / 2 };
    },
    { line, column },
  );
  const at = await drawn.jsonValue();
  await page.mouse.move(at.x, at.y);
  return at;
}

// Hovers the field at (line, column) until Monaco shows the hover holding `text`, and returns
// it. A redraw of the line under a still pointer cancels a pending hover (the pointer "leaves"
// the old span) and no further mousemove comes, so the pointer is nudged as a learner would.
async function hoverUntil(line, column, text) {
  const hover = page.locator(".monaco-hover", { hasText: text }).last();
  for (let attempt = 0; attempt < 4; attempt++) {
    const at = await hoverAt(line, column);
    try {
      await hover.waitFor({ state: "visible", timeout: 2_500 });
      return hover;
    } catch {
      await page.mouse.move(at.x + 1, at.y);
    }
  }
  await hover.waitFor({ state: "visible", timeout: 2_500 });
  return hover;
}

const POD = [
  "apiVersion: v1",
  "kind: Pod",
  "metadata:",
  "  name: docs",
  "spec:",
  "  containers:",
  "  - name: web",
  "    image: nginx",
  "    ",
].join("\n");

test("typing a key inside a container offers that type's fields with their docs", async () => {
  await setText(POD, 9, 5);
  await page.keyboard.type("liven");
  const widget = page.locator(".suggest-widget.visible");
  await widget.waitFor();
  const row = widget.locator(".monaco-list-row", { hasText: "livenessProbe" });
  await row.waitFor();
  // The focused row's details: the type and the API's description.
  await page.keyboard.press("Control+Space");
  const details = page.locator(".suggest-details");
  await details.getByText("Periodic probe of container liveness", { exact: false }).waitFor();
  assert.match(await details.textContent(), /Probe/);
  await page.screenshot({ path: `${SCREENSHOTS}/editor-completion.png` });
  await page.keyboard.press("Enter");
  assert.equal((await editorText()).split("\n")[8], "    livenessProbe:");
});

test("an enum field offers its values after the key", async () => {
  await setText(POD, 9, 5);
  await page.keyboard.type("imagePullPolicy: If");
  const widget = page.locator(".suggest-widget.visible");
  await widget.locator(".monaco-list-row", { hasText: "IfNotPresent" }).waitFor();
  assert.equal(await widget.locator(".monaco-list-row", { hasText: "livenessProbe" }).count(), 0);
  await page.keyboard.press("Enter");
  assert.equal((await editorText()).split("\n")[8], "    imagePullPolicy: IfNotPresent");
});

test("completion follows the cursor's path: spec fields under spec, none for other kinds' fields", async () => {
  await setText(POD + "\n" + "  ", 10, 3);
  await page.keyboard.type("nodeN");
  const widget = page.locator(".suggest-widget.visible");
  await widget.locator(".monaco-list-row", { hasText: "nodeName" }).waitFor();
  assert.equal(await widget.locator(".monaco-list-row", { hasText: "replicas" }).count(), 0);
  await page.keyboard.press("Escape");
  // A Deployment's spec offers replicas.
  const deployment = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  ";
  await setText(deployment, 4, 3);
  await page.keyboard.type("repl");
  await widget.locator(".monaco-list-row", { hasText: "replicas" }).waitFor();
  await page.keyboard.press("Escape");
});

test("completion works inside flow-style mappings and lists", async () => {
  const flow = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: web, ";
  await setText(flow, 4, flow.split("\n")[3].length + 1);
  await page.keyboard.type("imageP");
  const widget = page.locator(".suggest-widget.visible");
  await widget.locator(".monaco-list-row", { hasText: "imagePullPolicy" }).waitFor();
  await page.keyboard.press("Enter");
  // Inside `{…}` a value follows its key on the same line.
  assert.equal((await editorText()).split("\n")[3], "  containers: [{name: web, imagePullPolicy: ");
  // At a key of the same mapping every Container field is offered; at its value none is.
  await page.keyboard.type("Always, ");
  await page.keyboard.press("Control+Space");
  await widget.locator(".monaco-list-row", { hasText: "livenessProbe" }).waitFor();
  await page.keyboard.press("Escape");
  await page.keyboard.type("tty: ");
  await page.keyboard.press("Control+Space");
  await page.waitForTimeout(500);
  assert.equal(await widget.locator(".monaco-list-row", { hasText: "livenessProbe" }).count(), 0);
  await page.keyboard.press("Escape");
});

test("hovering a field shows its type and description", async () => {
  await setText(POD, 1, 1);
  // The hover widget is found by its text: Monaco toggles its classes while it lays it out.
  const hover = await hoverUntil(8, 6, "Container image name");
  const text = await hover.textContent();
  assert.match(text, /image/);
  assert.match(text, /string/);
  assert.match(text, /kubectl explain pod\.spec\.containers\.image/);
  await page.screenshot({ path: `${SCREENSHOTS}/editor-hover.png` });
  await page.mouse.move(5, 5);
});

test("Explain runs kubectl explain of the field under the cursor (button and Ctrl+Shift+E)", async () => {
  await setText(POD, 8, 6);
  await page.keyboard.press("Control+Shift+E");
  await output().getByText("$ kubectl explain pod.spec.containers.image").waitFor();
  await output().getByText("FIELD: image <string>").waitFor();

  await setText(POD, 7, 5);
  await page.getByTestId("explain-button").click();
  await output().getByText("$ kubectl explain pod.spec.containers.name").waitFor();

  // Outside any known kind the page says so instead of running a command.
  const before = await output().locator(".line").count();
  await setText("just: text\n", 1, 2);
  await page.getByTestId("explain-button").click();
  await page.getByTestId("editor-notice").waitFor();
  assert.equal(await output().locator(".line").count(), before);
});

const FLOW_POD = [
  "apiVersion: v1",
  "kind: Pod",
  "metadata: {name: flow}",
  "spec:",
  "  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]",
].join("\n");
// The 1-based column of `word` on a line of FLOW_POD.
const flowColumn = (line, word) => FLOW_POD.split("\n")[line - 1].indexOf(word) + 1;

test("hover docs and Explain read flow-style YAML too", async () => {
  await setText(FLOW_POD, 1, 1);
  const hover = await hoverUntil(5, flowColumn(5, "containerPort") + 2, "Number of port to expose");
  const text = await hover.textContent();
  assert.match(text, /containerPort/);
  assert.match(text, /integer/);
  assert.match(text, /kubectl explain pod\.spec\.containers\.ports\.containerPort/);
  // The field sits near the editor's right edge: its card reaches past that edge and is drawn
  // there, over the cluster view, instead of being cut off by the editor pane.
  const card = await hover.boundingBox();
  const editor = await page.getByTestId("editor").boundingBox();
  assert.ok(card.x + card.width > editor.x + editor.width + 40, JSON.stringify({ card, editor }));
  const beyond = { x: editor.x + editor.width + 20, y: card.y + card.height / 2 };
  assert.ok(
    await page.evaluate(({ x, y }) => Boolean(document.elementFromPoint(x, y)?.closest(".monaco-hover")), beyond),
    "the hover card is visible past the editor's right edge",
  );
  await page.screenshot({ path: `${SCREENSHOTS}/editor-hover-flow.png` });
  await page.mouse.move(5, 5);

  // Explain at a key inside `{…}`, and at a value, which names its key.
  await setText(FLOW_POD, 5, flowColumn(5, "ports") + 1);
  await page.keyboard.press("Control+Shift+E");
  await output().getByText(/\$ kubectl explain pod\.spec\.containers\.ports$/).waitFor();
  await output().getByText("FIELD: ports <[]ContainerPort>").waitFor();
  await setText(FLOW_POD, 3, flowColumn(3, "flow") + 1);
  await page.getByTestId("explain-button").click();
  await output().getByText("$ kubectl explain pod.metadata.name").waitFor();
});

test("kubectl edit opens the live object in a tab; a bad save reopens it with kubectl's reasons", async () => {
  await run("kubectl create deployment web --image=nginx --replicas=2");
  await output().getByText("deployment.apps/web created").waitFor();
  await run("kubectl edit deployment web");
  const tab = page.locator("[data-testid=editor-tab][data-name='deployment.apps/web']");
  await tab.waitFor();
  assert.equal(await tab.getAttribute("aria-selected"), "true");
  await page.locator("[data-testid=editor][data-tab=edit]").waitFor();
  await page.waitForFunction(() => window.kubelabEditor.getValue().startsWith("# Please edit the object below."));
  assert.match(await editorText(), /\n {2}replicas: 2\n/);
  assert.equal(await page.getByTestId("apply-button").getAttribute("data-mode"), "edit");
  await page.screenshot({ path: `${SCREENSHOTS}/editor-kubectl-edit.png` });

  // An invalid value: kubectl's error in the terminal, the buffer back with the reasons.
  await page.evaluate(() => {
    const ed = window.kubelabEditor;
    ed.setValue(ed.getValue().replace("\n  replicas: 2\n", "\n  replicas: -1\n"));
  });
  await page.getByTestId("apply-button").click();
  await output().getByText('error: deployments.apps "web" is invalid').waitFor();
  const stderr = output().locator(".line.stderr", { hasText: 'deployments.apps "web" is invalid' });
  assert.equal(await stderr.count(), 1, "kubectl's error is shown as an error line");
  await page.waitForFunction(() => window.kubelabEditor.getValue().includes('# deployments.apps "web" was not valid:'));
  const reopened = await editorText();
  assert.match(reopened, /# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n/);
  assert.match(reopened, /\n {2}replicas: -1\n/, "the learner's text is kept");
  await page.screenshot({ path: `${SCREENSHOTS}/editor-kubectl-edit-reopened.png` });

  // Fixed and saved with Ctrl+S: kubectl edits the object and the tab closes.
  await page.evaluate(() => {
    const ed = window.kubelabEditor;
    ed.setValue(ed.getValue().replace("\n  replicas: -1\n", "\n  replicas: 3\n"));
    ed.focus();
  });
  await page.keyboard.press("Control+S");
  await output().getByText("deployment.apps/web edited").waitFor();
  await tab.waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("apply-button").getAttribute("data-mode"), "apply");
  assert.ok(!(await editorText()).startsWith("# Please edit"), "the manifest is back in the editor");
  await run("kubectl get deployment web -o jsonpath={.spec.replicas}");
  await output().locator(".line.stdout", { hasText: /^3$/ }).waitFor();
});

test("closing an untouched edit tab cancels the edit as kubectl does", async () => {
  await run("kubectl edit deployment web");
  const tab = page.locator("[data-testid=editor-tab][data-name='deployment.apps/web']");
  await tab.waitFor();
  // The manifest tab is still there and can be looked at meanwhile.
  await page.locator("[data-testid=editor-tab][data-name='manifest.yaml']").click();
  await page.locator("[data-testid=editor][data-tab=apply]").waitFor();
  await tab.click();
  await page.locator("[data-testid=editor][data-tab=edit]").waitFor();
  await page.getByTestId("editor-tab-close").click();
  await output().getByText("Edit cancelled, no changes made.").waitFor();
  await tab.waitFor({ state: "detached" });
});

test("no page errors and no request left localhost", () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(blocked, []);
});
