// End-to-end: lab links, autosave, restore, export and import, as a learner uses them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;
let shared; // { link, clock, pods }

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

async function openPage(address) {
  const p = await context.newPage();
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(address);
  await p.locator("[data-testid=editor][data-ready=true]").waitFor({ timeout: 30_000 });
  return p;
}

const podNames = (p) =>
  p.locator("[data-testid=pod]").evaluateAll((els) => els.map((e) => `${e.dataset.name}:${e.dataset.phase}`).sort());
const savedLab = (p) => p.evaluate(() => localStorage.getItem("kubelab.lab"));

test("Share makes a small link of the whole lab", async () => {
  await page.getByTestId("time-speed").selectOption("10");
  await runIn(page, "kubectl create deployment web --image=nginx --replicas=2");
  await page.waitForFunction(
    () => document.querySelectorAll("[data-testid=pod][data-name^=web-][data-ready=true]").length === 2,
    null, { timeout: 60_000 });
  await runIn(page, "kubectl label deployment web tier=front");
  await page.getByTestId("time-play").click();
  assert.equal(await page.getByTestId("time-play").getAttribute("aria-pressed"), "false");
  await page.getByTestId("share-button").click();
  const link = await page.getByTestId("share-link").inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#lab=[A-Za-z0-9_-]+$/);
  const bytes = Number(await page.getByTestId("share-size").getAttribute("data-bytes"));
  assert.ok(bytes > 100 && bytes < 8 * 1024, `link fragment is ${bytes} bytes`);
  assert.match(await page.getByTestId("share-size").textContent(), /KB/);
  await page.screenshot({ path: `${SCREENSHOTS}/share-panel.png` });
  shared = { link, clock: await page.getByTestId("clock").textContent(), pods: await podNames(page) };
  await page.getByTestId("share-link").press("Escape");
  assert.equal(await page.getByTestId("share-link").count(), 0, "Escape closes the share panel");
  assert.equal(shared.pods.length, 2);
  // Autosave has the learner's lab by now.
  await page.waitForFunction(() => !!localStorage.getItem("kubelab.lab"));
});

test("the link opened in a new page replays the same pods and clock, paused, with a banner", async () => {
  const before = await savedLab(page);
  const p = await openPage(shared.link);
  const banner = p.getByTestId("banner");
  await banner.waitFor();
  assert.equal(await banner.getAttribute("data-kind"), "info");
  assert.match(await p.getByTestId("banner-text").textContent(), /Loaded a shared lab: minikube cluster, \d+ actions replayed, cluster time \d\d:\d\d:\d\d/);
  assert.equal(await p.getByTestId("time-play").getAttribute("aria-pressed"), "false");
  assert.equal(await p.getByTestId("clock").textContent(), shared.clock);
  assert.deepEqual(await podNames(p), shared.pods);
  await p.waitForTimeout(800);
  assert.equal(await p.getByTestId("clock").textContent(), shared.clock, "the loaded lab stays paused");
  assert.equal(new URL(p.url()).hash, "", "the link is taken out of the address once read");
  assert.equal(await savedLab(p), before, "opening a link leaves the learner's autosave alone");
  await runIn(p, "kubectl get deployment web --show-labels");
  await p.getByTestId("terminal-output").getByText(/^web\s+2\/2\s+2\s+2\s+\S+\s+app=web,tier=front$/).waitFor();
  await p.screenshot({ path: `${SCREENSHOTS}/share-opened.png` });
  await p.close();
});

for (const [name, mangle, wording] of [
  ["truncated", (l) => l.slice(0, l.length - 40), /incomplete|damaged/],
  ["corrupt", (l) => l.replace(/#lab=(.{20})(.{12})/, "#lab=$1AAAAAAAAAAAA"), /damaged|not a kubelab lab|not valid|could not be replayed/],
  ["hostile", () => `${url}#lab=${"A".repeat(300_000)}`, /too long/],
  ["not base64", () => `${url}#lab=<script>alert(1)</script>`, /not valid base64url/],
]) {
  test(`a ${name} link says so and keeps the learner's autosaved lab`, async () => {
    const kept = await savedLab(page);
    assert.ok(kept);
    const p = await openPage(mangle(shared.link));
    const dialogs = [];
    p.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
    const banner = p.getByTestId("banner");
    await banner.waitFor();
    assert.equal(await banner.getAttribute("data-kind"), "error");
    const text = await p.getByTestId("banner-text").textContent();
    assert.match(text, /^This lab link could not be opened: /);
    assert.match(text, wording);
    assert.match(text, /Your own lab was kept\.$/);
    // The learner's own lab came back from the autosave, and the autosave is untouched.
    await p.locator("[data-testid=pod][data-name^=web-]").first().waitFor();
    await p.waitForTimeout(500);
    assert.equal(await savedLab(p), kept);
    assert.deepEqual(dialogs, []);
    if (name === "corrupt") await p.screenshot({ path: `${SCREENSHOTS}/share-corrupt.png` });
    await p.close();
  });
}

test("restore last lab brings back the autosave after opening someone's link", async () => {
  const p = await openPage(shared.link);
  await runIn(p, "kubectl create namespace visitor");
  // Acting in the loaded lab makes it the autosave.
  await p.waitForFunction(() => localStorage.getItem("kubelab.lab") !== null);
  await p.getByTestId("banner-dismiss").click();
  await p.getByTestId("lab-menu").locator("summary").click();
  await p.getByTestId("restore-lab").click();
  await p.getByTestId("banner").getByText("Restored your last lab.").waitFor();
  await runIn(p, "kubectl get ns visitor -o name");
  await p.getByTestId("terminal-output").getByText("namespace/visitor").waitFor();
  await p.close();
});

test("Export writes a lab file that Import reads back; a bad file is refused", async () => {
  await page.getByTestId("lab-menu").locator("summary").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-lab").click()]);
  assert.equal(download.suggestedFilename(), "kubelab-lab.json");
  const file = "target/e2e-exported-lab.json";
  await download.saveAs(file);
  const json = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(json.v, 1);
  assert.equal(json.preset, "minikube");
  assert.ok(json.actions.some((a) => a.a.c === "kubectl create deployment web --image=nginx --replicas=2"));

  const p = await openPage(url);
  await runIn(p, "kubectl delete deployment web");
  await p.getByTestId("lab-menu").locator("summary").click();
  await p.getByTestId("import-lab").setInputFiles(file);
  await p.getByTestId("banner").getByText("Imported the lab file. The cluster is paused.").waitFor();
  assert.deepEqual(await podNames(p), shared.pods);
  assert.equal(await p.getByTestId("clock").textContent(), shared.clock);

  writeFileSync("target/e2e-bad-lab.json", '{"v":1,"preset":"minikube","seed":1,"now_ms":0,"run":"rm -rf /"}');
  await p.getByTestId("lab-menu").locator("summary").click();
  await p.getByTestId("import-lab").setInputFiles("target/e2e-bad-lab.json");
  const banner = p.getByTestId("banner");
  await banner.getByText(/This lab file could not be opened: .*unknown field `run`/).waitFor();
  await p.locator("[data-testid=pod][data-name^=web-]").first().waitFor();
  await p.close();
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
