// End-to-end: the kubia Service exercise (readiness probe `ls /var/ready`, E-A28 of the study
// notes) as the cluster view shows it — Service lines dashed to not-ready endpoints and solid
// to ready ones, the inspector's shell making one pod ready, a dot per request running
// client → Service → pod, a Pending pod in the scheduling lane with its FitError, and a plot
// exported as PNG. Screenshots of each stage are kept for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, page;

before(async () => {
  lab = await openLab();
  page = lab.page;
  await page.getByTestId("time-speed").selectOption("10");
});

after(async () => {
  await lab?.close();
});

const run = (line) => runIn(page, line);

async function apply(yaml) {
  await page.evaluate((text) => window.kubelabEditor.setValue(text), yaml);
  await page.getByTestId("apply-button").click();
}

const KUBIA = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
        readinessProbe:
          exec:
            command: [ls, /var/ready]
---
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
`;

const links = () => page.locator("[data-testid=service-link][data-service='default/kubia']");

test("a Service's lines to not-ready endpoints are dashed", async () => {
  await apply(KUBIA);
  await page.waitForFunction(
    () => document.querySelectorAll("svg [data-testid=pod][data-name^=kubia-][data-state=running-not-ready]").length === 3,
    null,
    { timeout: 120_000 },
  );
  await page.waitForFunction(
    () => document.querySelectorAll("[data-testid=service-link][data-service='default/kubia']").length === 3,
    null,
    { timeout: 30_000 },
  );
  const dashes = await links().evaluateAll((els) => els.map((e) => [e.dataset.ready, getComputedStyle(e).strokeDasharray]));
  assert.ok(dashes.every(([ready, dash]) => ready === "false" && dash !== "none"), JSON.stringify(dashes));
  await page.screenshot({ path: `${SCREENSHOTS}/traffic-not-ready.png` });
});

let readyPod;

test("the inspector's shell runs a command in the pod, which turns ready", async () => {
  const chip = page.locator("svg [data-testid=pod][data-name^=kubia-]").first();
  readyPod = await chip.getAttribute("data-name");
  await chip.click();
  await page.getByTestId("inspector-tab-shell").click();
  const input = page.getByTestId("pod-shell-input");
  await input.fill("touch /var/ready");
  await input.press("Enter");
  await input.fill("ls /var");
  await input.press("Enter");
  const out = page.getByTestId("pod-shell-output");
  await out.getByText(/^ready$/).waitFor({ timeout: 10_000 });
  assert.match(await out.textContent(), new RegExp(`${readyPod} \\$ touch /var/ready`));
  // It is a command of the lab: the terminal's history has it as kubectl exec.
  await page.screenshot({ path: `${SCREENSHOTS}/traffic-inspector-shell.png` });
  await page.getByTestId("inspector-close").click();
  await page.locator(`[data-testid=service-link][data-pod='default/${readyPod}'][data-ready=true]`)
    .waitFor({ timeout: 60_000 });
  const style = await page.locator(`[data-testid=service-link][data-pod='default/${readyPod}']`)
    .evaluate((e) => getComputedStyle(e).strokeDasharray);
  assert.equal(style, "none", "a ready endpoint's line is solid");
  assert.equal(await page.locator("[data-testid=service-link][data-service='default/kubia'][data-ready=false]").count(), 2);
});

test("every request runs a dot from the client through the Service to the ready pod", async () => {
  await run("kubectl run client --image=tutum/curl -- sleep 9999999");
  await page.locator("svg [data-testid=pod][data-name=client][data-state=ready]").waitFor({ timeout: 120_000 });
  // Paused, so the dots stay on screen to be counted and looked at.
  await page.getByTestId("time-play").click();
  for (let i = 0; i < 3; i++) await run("kubectl exec client -- curl -s http://kubia");
  await page.getByTestId("terminal-output").getByText(`You've hit ${readyPod}`).first().waitFor({ timeout: 10_000 });
  const dots = page.locator("[data-testid=traffic-dot][data-service='default/kubia']");
  await dots.first().waitFor({ timeout: 10_000 });
  const trips = await dots.evaluateAll((els) => els.map((e) => [e.dataset.pod, e.style.offsetPath]));
  assert.ok(trips.length >= 3, JSON.stringify(trips));
  // Only the ready endpoint gets requests; each route has three points: client, Service, pod.
  for (const [pod, path] of trips) {
    assert.equal(pod, `default/${readyPod}`);
    assert.match(path, /^path\("M[^L]+L[^L]+L[^L]+"\)$/);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/traffic-dots.png` });
  await page.getByTestId("time-play").click();
});

test("a Pending pod waits in the scheduling lane with its FitError on hover", async () => {
  await apply([
    "apiVersion: v1", "kind: Pod", "metadata:", "  name: hungry", "spec:", "  containers:",
    "  - name: kubia", "    image: luksa/kubia", "    resources:", "      requests:", "        cpu: \"8\"", "",
  ].join("\n"));
  const chip = page.locator("svg [data-testid=pod][data-name=hungry][data-state=pending]");
  await page.waitForFunction(
    () => document.querySelector("svg [data-testid=pod][data-name=hungry]")?.dataset.fitError,
    null,
    { timeout: 60_000 },
  );
  // The lane is above the node cards and holds the chip.
  const lane = await page.locator("svg .cv-lane rect").boundingBox();
  const box = await chip.boundingBox();
  assert.ok(box.y >= lane.y && box.y + box.height <= lane.y + lane.height, JSON.stringify({ lane, box }));
  const node = await page.locator("svg [data-testid=node]").first().boundingBox();
  assert.ok(box.y < node.y, "the lane comes before the nodes");
  assert.match(await chip.locator("title").textContent(), /0\/1 nodes are available: 1 Insufficient cpu\./);
  await chip.hover();
  await page.screenshot({ path: `${SCREENSHOTS}/traffic-pending-lane.png` });
});

test("a plot exports as a PNG image", async () => {
  await page.getByTestId("drawer-plots").click();
  await page.locator("[data-testid=plot-desired][data-series='2']").waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("plot-desired-png").click(),
  ]);
  assert.equal(download.suggestedFilename(), "kubelab-plot-desired.png");
  const png = readFileSync(await download.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  assert.ok(png.length > 2000, `a drawn image (${png.length} bytes)`);
  // Hovering the plot reads the values at that instant.
  const canvas = page.locator("[data-testid=plot-desired] canvas");
  const b = await canvas.boundingBox();
  await page.mouse.move(b.x + b.width * 0.9, b.y + b.height / 2);
  assert.match(await page.getByTestId("plot-desired-readout").textContent(), /^t = \d+s · desired = 3 · ready = 1$/);
  await page.screenshot({ path: `${SCREENSHOTS}/traffic-plots.png` });
  assert.deepEqual(lab.blocked, [], "requests outside localhost");
  assert.deepEqual(lab.errors, [], "uncaught page errors");
});
