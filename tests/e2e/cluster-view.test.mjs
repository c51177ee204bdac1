// End-to-end: the cluster view as a learner uses it — pod chips labelled by state, the
// inspector with kubectl's own describe text, a Pending pod's FitError and the scheduler's
// per-node table, a Service with lines to its pods, the events drawer's filters and the
// rollout plot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab({ ready: "[data-testid=terminal-input]" });
  ({ url, context, blocked, page, errors } = lab);
  await page.getByTestId("time-speed").selectOption("10");
});

after(async () => lab?.close());

const run = (line) => runIn(page, line);

const readyPods = (prefix) =>
  page.locator(`svg [data-testid=pod][data-name^="${prefix}"][data-state=ready]`);

test("pods appear as chips labelled with their state", async () => {
  await run("kubectl create deployment web --image=nginx --replicas=3");
  await page.waitForFunction(
    () => document.querySelectorAll("svg [data-testid=pod][data-name^=web-][data-state=ready]").length === 3,
    null,
    { timeout: 60_000 },
  );
  const chip = readyPods("web-").first();
  // The state is written on the chip, not only coloured.
  assert.match(await chip.locator("text.cv-chip-status").textContent(), /^Ready 1\/1$/);
  assert.equal(await chip.getAttribute("data-phase"), "Running");
  assert.equal(await chip.getAttribute("data-node"), "minikube");
  const node = page.locator("svg [data-testid=node][data-name=minikube]");
  assert.match(await node.textContent(), /CPU/);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-chips.png` });
});

test("clicking a pod opens the inspector with kubectl's describe text", async () => {
  const chip = readyPods("web-").first();
  const name = await chip.getAttribute("data-name");
  await chip.click();
  const inspector = page.getByTestId("inspector");
  await inspector.waitFor();
  assert.equal(await inspector.getAttribute("data-name"), name);
  const text = await page.getByTestId("inspector-text").textContent();
  assert.match(text, new RegExp(`^Name:\\s+${name}\\n`));
  assert.match(text, /\nNamespace:\s+default\n/);
  assert.match(text, /\nStatus:\s+Running\n/);
  // The same text the terminal prints for the same command.
  await page.getByTestId("inspector-tab-yaml").click();
  assert.match(await page.getByTestId("inspector-text").textContent(), /^apiVersion: v1\nkind: Pod\n/);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-inspector.png` });
  await page.keyboard.press("Escape");
  await inspector.waitFor({ state: "detached" });
});

test("a Pending pod shows its FitError and the scheduler's per-node table", async () => {
  await page.evaluate(() => window.kubelabEditor.setValue([
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: huge",
    "spec:",
    "  containers:",
    "  - name: huge",
    "    image: nginx",
    "    resources:",
    "      requests:",
    "        cpu: \"64\"",
    "",
  ].join("\n")));
  await page.getByTestId("apply-button").click();
  const chip = page.locator("svg [data-testid=pod][data-name=huge][data-state=pending]");
  await page.waitForFunction(
    () => document.querySelector("svg [data-testid=pod][data-name=huge]")?.dataset.fitError,
    null,
    { timeout: 30_000 },
  );
  const fit = await chip.getAttribute("data-fit-error");
  assert.match(fit, /^0\/1 nodes are available: 1 Insufficient cpu\./);
  // The hover text carries the FitError too.
  assert.match(await chip.locator("title").textContent(), /Insufficient cpu/);
  await chip.click();
  await page.getByTestId("scheduling-table").waitFor();
  assert.match(await page.getByTestId("fit-error").textContent(), /Insufficient cpu/);
  const row = page.locator("[data-testid=scheduling-row][data-node=minikube]");
  assert.match(await row.textContent(), /rejected.*NodeResourcesFit.*Insufficient cpu/s);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-pending.png` });
  await page.getByTestId("inspector-close").click();
  await run("kubectl delete pod huge --wait=false");
});

test("a Service is drawn with a line to each of its pods", async () => {
  await run("kubectl expose deployment web --port=80");
  const svc = page.locator("svg [data-testid=service][data-name=web]");
  await svc.waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    () => document.querySelectorAll("[data-testid=service-link][data-service='default/web'][data-ready=true]").length === 3,
    null,
    { timeout: 30_000 },
  );
  const targets = await page.locator("[data-testid=service-link][data-service='default/web']")
    .evaluateAll((els) => els.map((e) => e.dataset.pod).sort());
  const pods = await readyPods("web-").evaluateAll((els) => els.map((e) => `default/${e.dataset.name}`).sort());
  assert.deepEqual(targets, pods);
  // A request through the Service runs as a dot from the client pod to the Service to a pod.
  await page.getByTestId("time-play").click();
  await run("kubectl exec deploy/web -- curl -s http://web");
  await page.locator("[data-testid=traffic-dot]").first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-service.png` });
  await page.getByTestId("time-play").click();
});

test("the events drawer filters by object, type and reason", async () => {
  await page.getByTestId("drawer-events").click();
  const rows = page.getByTestId("event-row");
  await rows.first().waitFor();
  const all = await rows.count();
  assert.ok(all > 3, `several events (${all})`);
  await page.getByTestId("events-filter-type").selectOption("Warning");
  const warnings = await rows.evaluateAll((els) => els.map((e) => e.dataset.type));
  assert.ok(warnings.length >= 1, "the huge pod's FailedScheduling is a warning");
  assert.ok(warnings.every((t) => t === "Warning"));
  await page.getByTestId("events-filter-type").selectOption("");
  await page.getByTestId("events-filter-reason").selectOption("ScalingReplicaSet");
  const reasons = await rows.evaluateAll((els) => els.map((e) => [e.dataset.reason, e.dataset.object]));
  assert.ok(reasons.length >= 1 && reasons.every(([r, o]) => r === "ScalingReplicaSet" && o === "deployment/web"));
  await page.getByTestId("events-filter-reason").selectOption("");
  await page.getByTestId("events-filter-object").fill("pod/huge");
  const objects = await rows.evaluateAll((els) => els.map((e) => e.dataset.object));
  assert.ok(objects.length >= 1 && objects.every((o) => o === "pod/huge"), JSON.stringify(objects));
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-events.png` });
  await page.getByTestId("events-filter-object").fill("");
});

test("a rollout draws the surge/drain staircase per ReplicaSet", async () => {
  await run("kubectl set image deployment/web nginx=nginx:1.27");
  await page.getByTestId("drawer-plots").click();
  const plot = page.getByTestId("plot-replicas");
  await page.waitForFunction(
    () => document.querySelector("[data-testid=plot-replicas]")?.dataset.series === "2",
    null,
    { timeout: 60_000 },
  );
  await page.waitForFunction(
    () => /\(rev 1\) = 0.*\(rev 2\) = 3|\(rev 2\) = 3.*\(rev 1\) = 0/.test(
      document.querySelector("[data-testid=plot-replicas-readout]")?.textContent ?? ""),
    null,
    { timeout: 60_000 },
  );
  const legend = await plot.locator(".cv-plot-legend").textContent();
  assert.match(legend, /\(rev 1\)/);
  assert.match(legend, /\(rev 2\)/);
  // The canvas has been drawn on: not a blank image.
  const inked = await plot.locator("canvas").evaluate((c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
    return n;
  });
  assert.ok(inked > 500, `pixels drawn: ${inked}`);
  // Hovering reads values at that instant.
  const box = await plot.locator("canvas").boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  assert.match(await page.getByTestId("plot-replicas-readout").textContent(), /^t = \d+s · /);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-plots.png` });
});

test("the workloads view groups Deployment, ReplicaSets with revisions, and pods", async () => {
  await page.getByTestId("view-workloads").click();
  const dep = page.locator("[data-testid=workload][data-kind=Deployment][data-name=web]");
  await dep.waitFor();
  const revisions = await dep.locator("[data-testid=replicaset]").evaluateAll((els) => els.map((e) => e.dataset.revision));
  assert.deepEqual(revisions, ["2", "1"]);
  assert.equal(await dep.locator("[data-testid=replicaset][data-revision='2'] [data-testid=workload-pod]").count(), 3);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-workloads.png` });
  await page.getByTestId("view-nodes").click();
});

test("after minikube delete the view says there is no cluster, until minikube start", async () => {
  await run("minikube delete");
  const notice = page.getByTestId("cluster-deleted");
  await notice.waitFor({ timeout: 10_000 });
  assert.match(await notice.textContent(), /minikube start/);
  assert.equal(await page.locator("svg [data-testid=node]").count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-deleted.png` });
  await run("minikube start");
  await page.locator("svg [data-testid=node][data-name=minikube]").waitFor({ timeout: 10_000 });
  assert.equal(await notice.count(), 0);
  await run("kubectl create deployment web --image=nginx --replicas=3");
  await page.waitForFunction(
    () => document.querySelectorAll("svg [data-testid=pod][data-name^=web-][data-state=ready]").length === 3,
    null,
    { timeout: 60_000 },
  );
});

test("every control is reachable by keyboard", async () => {
  const chip = readyPods("web-").first();
  await chip.focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("inspector").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "inspector");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-view-tablet.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});

test("a cordoned node's card shows the unschedulable taint the control plane adds", async () => {
  await run("kubectl cordon minikube");
  const node = page.locator("svg [data-testid=node][data-name=minikube]");
  await page.waitForFunction(
    () => document.querySelector("svg [data-testid=node][data-name=minikube]")
      ?.getAttribute("data-taints")?.includes("node.kubernetes.io/unschedulable:NoSchedule"),
    null,
    { timeout: 30_000 },
  );
  assert.equal(await node.getAttribute("data-cordoned"), "true");
  // The tspan's own text; its <title> child lists the taints for the tooltip.
  const label = await node.locator(".cv-taint").evaluate((el) => el.firstChild.textContent);
  assert.equal(label, " · ⚠ 1 taint");
  await run("kubectl uncordon minikube");
  await page.waitForFunction(
    () => document.querySelector("svg [data-testid=node][data-name=minikube]")?.getAttribute("data-taints") === "",
    null,
    { timeout: 30_000 },
  );
});
