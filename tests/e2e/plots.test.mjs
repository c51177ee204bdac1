// End-to-end: the drawer's plots for two exercises beyond the rollout staircase. A liveness
// probe that starts failing (the notes' kubia-unhealthy pod) shows restarts and probe failures
// per container; an HPA over a Deployment shows its CPU utilization and target against its
// replicas on a second axis. Both are read through the hover readout, as a learner reads them.
// In the dark theme the drawer and the plots are dark too, with axis labels that stay readable.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, page;

before(async () => {
  lab = await openLab();
  page = lab.page;
});

after(async () => {
  await lab?.close();
});

const LIVENESS = `apiVersion: v1
kind: Pod
metadata:
  name: kubia-liveness
spec:
  containers:
  - image: luksa/kubia-unhealthy
    name: kubia
    livenessProbe:
      httpGet:
        path: /
        port: 8080
`;

async function readoutAtRightEdge(testid) {
  const canvas = page.locator(`[data-testid=${testid}] canvas`);
  const b = await canvas.boundingBox();
  await page.mouse.move(b.x + b.width - 2, b.y + b.height / 2);
  return page.getByTestId(`${testid}-readout`).textContent();
}

test("a failing liveness probe plots probe failures beside restarts", async () => {
  await page.evaluate((text) => window.kubelabEditor.setValue(text), LIVENESS);
  await page.getByTestId("apply-button").click();
  await runIn(page, "sleep 150");
  await page.getByTestId("drawer-plots").click();
  await page.locator("[data-testid=plot-restarts][data-series='2']").waitFor({ timeout: 30_000 });
  const text = await readoutAtRightEdge("plot-restarts");
  const restarts = Number(/kubia-liveness\/kubia = (\d+)/.exec(text)?.[1]);
  const failures = Number(/kubia-liveness\/kubia probe failures = (\d+)/.exec(text)?.[1]);
  // Each restart follows three failed probes in a row (failureThreshold 3).
  assert.ok(restarts >= 1 && failures >= 3 * restarts, text);
  await page.getByTestId("plot-restarts").screenshot({ path: `${SCREENSHOTS}/plots-probe-failures.png` });
});

test("an HPA plots CPU utilization and its target against replicas", async () => {
  for (const line of [
    "minikube addons enable metrics-server",
    "kubectl create deployment php-apache --image=nginx --port=80",
    "kubectl set resources deployment php-apache --requests=cpu=200m",
    "kubectl expose deployment php-apache --port=80",
    "kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10",
    "sleep 90",
  ]) {
    await runIn(page, line);
  }
  await page.getByTestId("plot-deployment").selectOption("default/php-apache");
  await page.locator("[data-testid=plot-hpa][data-series='3']").waitFor({ timeout: 30_000 });
  const text = await readoutAtRightEdge("plot-hpa");
  assert.match(text, /cpu % = \d+/);
  assert.match(text, /target % = 50/);
  assert.match(text, /replicas \(right axis\) = 1/);
  await page.getByTestId("plot-hpa").scrollIntoViewIfNeeded();
  await page.getByTestId("plot-hpa").screenshot({ path: `${SCREENSHOTS}/plots-hpa.png` });
});

// WCAG relative luminance and contrast of [r, g, b] colours.
function luminance([r, g, b]) {
  const c = (v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
}
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

test("the drawer and its plots follow the dark theme, with readable axes", async () => {
  await page.getByTestId("theme").click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  const drawer = await page.locator(".cv-drawer").evaluate((d) => getComputedStyle(d).backgroundColor);
  const panel = (await page.evaluate(() => getComputedStyle(document.querySelector(".pane")).backgroundColor))
    .match(/\d+/g).slice(0, 3).map(Number);
  assert.deepEqual(drawer.match(/\d+/g).slice(0, 3).map(Number), panel, "the drawer is the dark panel colour");
  for (const id of ["plot-replicas", "plot-restarts", "plot-hpa"]) {
    // The canvas is redrawn on the panel colour; its label strip has text as light as it must be.
    const { corner, brightest } = await page.locator(`[data-testid=${id}] canvas`).evaluate((c) => {
      const ctx = c.getContext("2d");
      const px = (x, y) => [...ctx.getImageData(x, y, 1, 1).data].slice(0, 3);
      const strip = ctx.getImageData(0, 0, 30, c.height).data;
      let best = [0, 0, 0];
      for (let i = 0; i < strip.length; i += 4) {
        if (strip[i] + strip[i + 1] + strip[i + 2] > best[0] + best[1] + best[2]) best = [strip[i], strip[i + 1], strip[i + 2]];
      }
      return { corner: px(2, 2), brightest: best };
    });
    assert.deepEqual(corner, panel, `${id}: background ${corner}`);
    assert.ok(contrast(brightest, panel) >= 4.5, `${id}: axis labels ${brightest} on ${panel}`);
  }
  await page.locator(".cv-drawer").screenshot({ path: `${SCREENSHOTS}/plots-dark.png` });
  // And back: the plots are drawn on white again.
  await page.getByTestId("theme").click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
  const light = await page.locator("[data-testid=plot-hpa] canvas").evaluate((c) => [...c.getContext("2d").getImageData(2, 2, 1, 1).data].slice(0, 3));
  assert.deepEqual(light, [255, 255, 255]);
  await page.locator(".cv-drawer").screenshot({ path: `${SCREENSHOTS}/plots-light.png` });
  assert.deepEqual(lab.errors, []);
  assert.deepEqual(lab.blocked, []);
});
