// End-to-end test of the lab page shell against the built dist/, offline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab({ goto: false });
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const runInTerminal = (line) => runIn(page, line);

test("the page loads offline and the editor becomes ready", async () => {
  const started = Date.now();
  await page.goto(url);
  await page.locator("[data-testid=editor][data-ready=true]").waitFor({ timeout: 30_000 });
  const editorReadyMs = Date.now() - started;
  writeFileSync("target/e2e-editor-ready-ms.txt", `${editorReadyMs}\n`);
  console.log(`# editor ready ${editorReadyMs} ms after navigation`);
  for (const id of ["terminal-input", "terminal-output", "cluster-view", "lesson-panel", "clock"]) {
    assert.equal(await page.getByTestId(id).count(), 1, `data-testid=${id}`);
  }
  assert.equal(await page.locator("#loading").count(), 0, "the loading indicator is gone");
});

test("the terminal answers, shows errors in red, and recalls history with the up arrow", async () => {
  await runInTerminal("kubelab version");
  const output = page.getByTestId("terminal-output");
  await output.getByText(/^kubelab \d+\.\d+\.\d+$/).waitFor();
  await runInTerminal("frobnicate");
  const err = output.locator(".line.stderr", { hasText: "bash: frobnicate: command not found" });
  await err.waitFor();
  assert.equal(await err.evaluate((el) => getComputedStyle(el).color), "rgb(255, 123, 114)");
  const input = page.getByTestId("terminal-input");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "frobnicate");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "kubelab version");
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  assert.equal(await input.inputValue(), "", "walking past the newest entry returns to the draft");
  await runInTerminal("help");
  await output.getByText("kubelab terminal — commands available in this lab:").waitFor();
  await input.press("Control+l");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=terminal-output] .line").length === 0);
});

test("typing into Monaco changes the manifest, and text and history survive a reload", async () => {
  await page.locator("[data-testid=editor] .monaco-editor").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\n# typed by the end-to-end test");
  const text = await page.evaluate(() => window.kubelabEditor.getValue());
  assert.match(text, /kind: Pod/);
  assert.match(text, /# typed by the end-to-end test/);
  await page.screenshot({ path: `${SCREENSHOTS}/lab.png` });

  await page.reload();
  await page.locator("[data-testid=editor][data-ready=true]").waitFor({ timeout: 30_000 });
  const restored = await page.evaluate(() => window.kubelabEditor.getValue());
  assert.match(restored, /# typed by the end-to-end test/, "the editor text is kept across reloads");
  const input = page.getByTestId("terminal-input");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "help", "history is kept across reloads");
});

test("panes resize by dragging and by keyboard", async () => {
  const editor = page.getByTestId("editor");
  const before = (await editor.boundingBox()).width;
  const splitter = page.getByRole("separator", { name: "Resize the editor" });
  const box = await splitter.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 100, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const dragged = (await editor.boundingBox()).width;
  assert.ok(Math.abs(dragged - before - 100) < 8, `dragged from ${before} to ${dragged}`);
  await splitter.focus();
  await page.keyboard.press("ArrowLeft");
  const keyed = (await editor.boundingBox()).width;
  assert.ok(Math.abs(dragged - keyed - 24) < 4, `keyboard step from ${dragged} to ${keyed}`);
});

test("the activity chart is drawn and nothing was fetched from outside the page's origin", async () => {
  const inked = await page.getByTestId("metrics-chart").evaluate((canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
    return dark;
  });
  assert.ok(inked > 200, `the chart drew axes and a line (${inked} dark pixels)`);
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.screenshot({ path: `${SCREENSHOTS}/lab-tablet.png`, fullPage: true });
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
