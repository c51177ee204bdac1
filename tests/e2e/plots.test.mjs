// End-to-end: the drawer's plots for two exercises beyond the rollout staircase. A liveness
// probe that starts failing (the notes' kubia-unhealthy pod) shows restarts and probe failures
// per container; an HPA over a Deployment shows its CPU utilization and target against its
// replicas on a second axis. Both are read through the hover readout, as a learner reads them.
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
  assert.deepEqual(lab.errors, []);
  assert.deepEqual(lab.blocked, []);
});
