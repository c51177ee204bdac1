// End-to-end: the learner drives the simulated cluster from the terminal, the editor and the
// time controls, and watches it in the cluster view.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, clockSeconds, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const runInTerminal = (line) => runIn(page, line);

const clock = () => clockSeconds(page);

test("the cluster view shows the minikube node", async () => {
  const node = page.locator("[data-testid=node][data-name=minikube]");
  await node.waitFor();
  assert.equal(await node.getAttribute("data-ready"), "true");
});

test("kubectl create deployment makes three pod chips that become Ready", async () => {
  await page.getByTestId("time-speed").selectOption("10");
  await runInTerminal("kubectl create deployment nginx --image=nginx --replicas=3");
  await page.getByTestId("terminal-output").getByText("deployment.apps/nginx created").waitFor();
  const ready = page.locator("[data-testid=pod][data-name^=nginx-][data-ready=true]");
  await page.waitForFunction(
    () => document.querySelectorAll("[data-testid=pod][data-name^=nginx-][data-ready=true]").length === 3,
    null,
    { timeout: 60_000 },
  );
  assert.equal(await ready.count(), 3);
  for (const phase of await ready.evaluateAll((els) => els.map((e) => e.dataset.phase))) {
    assert.equal(phase, "Running");
  }
  await runInTerminal("kubectl get deployment nginx");
  await page.getByTestId("terminal-output").getByText(/^nginx\s+3\/3\s+3\s+3\s+\S+$/).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-nginx.png` });
});

test("pause stops the clock, the step button adds exactly ten seconds", async () => {
  const play = page.getByTestId("time-play");
  assert.equal(await play.getAttribute("aria-pressed"), "true");
  await play.click();
  assert.equal(await play.getAttribute("aria-pressed"), "false");
  const paused = await clock();
  await page.waitForTimeout(700);
  assert.equal(await clock(), paused, "a paused clock does not move");
  await page.getByTestId("time-step").click();
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    return h * 3600 + m * 60 + s === t;
  }, paused + 10);
  await play.click();
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    return h * 3600 + m * 60 + s > t;
  }, paused + 10);
});

test("Apply sends the editor's manifest to the cluster", async () => {
  await page.evaluate(() => window.kubelabEditor.setValue([
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: kubia-manual",
    "spec:",
    "  containers:",
    "  - name: kubia",
    "    image: luksa/kubia",
    "    ports:",
    "    - containerPort: 8080",
    "",
  ].join("\n")));
  await page.getByTestId("apply-button").click();
  const output = page.getByTestId("terminal-output");
  await output.getByText("kubectl apply -f manifest.yaml").waitFor();
  await output.getByText("pod/kubia-manual created").waitFor();
  await page.locator("[data-testid=pod][data-name=kubia-manual][data-ready=true]").waitFor({ timeout: 60_000 });
  await page.getByTestId("apply-button").click();
  await output.getByText("pod/kubia-manual unchanged").waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/cluster-apply.png` });
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
