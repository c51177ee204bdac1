// End-to-end: a learner follows the kubia lesson in the lessons panel — picks it, clicks a
// command into the terminal, runs it and watches the step's checks turn green; opens a
// manifest in the editor; sees the panel in Chinese; finds their place again after a reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const panel = () => page.getByTestId("lesson-panel");
const checks = () => panel().getByTestId("lesson-check");
const passed = async () => checks().evaluateAll((els) => els.map((e) => e.dataset.passed));

test("the panel lists the lessons and opens the kubia lesson at step 1", async () => {
  const choices = panel().getByTestId("lesson-choice");
  await choices.first().waitFor();
  const ids = await choices.evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(ids, [
    "kubia-replication", "liveness-probes", "deployment-rollout", "services", "configmaps", "jobs-and-cronjobs",
  ]);
  await panel().locator("[data-testid=lesson-choice][data-id=kubia-replication]").click();
  const step = panel().getByTestId("lesson-step");
  await step.waitFor();
  assert.equal(await step.getAttribute("data-step"), "1");
  assert.match(await panel().locator("h3").textContent(), /Run your first pod/);
  assert.deepEqual(await passed(), ["false"], "nothing runs yet, so the check is open");
});

test("a clicked command goes into the terminal; running it turns the check green", async () => {
  await page.getByTestId("time-speed").selectOption("10");
  await panel().getByTestId("lesson-command").first().click();
  const input = page.getByTestId("terminal-input");
  assert.equal(await input.inputValue(), "kubectl run kubia --image=luksa/kubia --port=8080");
  await input.press("Enter");
  await page.getByTestId("terminal-output").getByText("pod/kubia created").waitFor();
  // The pod pulls its image before it is Ready; the check follows the cluster, not the text.
  assert.deepEqual(await passed(), ["false"]);
  await page.locator("[data-testid=lesson-check][data-passed=true]").waitFor({ timeout: 60_000 });
  await page.locator("[data-testid=pod][data-name=kubia][data-ready=true]").waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/lesson-kubia-step1.png` });
});

test("the next step opens its manifest in the editor and its checks follow the controller", async () => {
  await panel().getByTestId("lesson-next").click();
  await page.locator("[data-testid=lesson-step][data-step='2']").waitFor();
  assert.deepEqual(await passed(), ["false", "false"]);
  await panel().locator("[data-testid=lesson-open-file][data-path='kubia-rc.yaml']").click();
  await page.waitForFunction(() => window.kubelabEditor?.getValue().includes("kind: ReplicationController"));
  // The step's file is in the lab too, so its command works as written.
  const commands = await panel().getByTestId("lesson-command").allTextContents();
  assert.equal(commands[0], "kubectl create -f kubia-rc.yaml");
  await panel().getByTestId("lesson-command").first().click();
  await page.getByTestId("terminal-input").press("Enter");
  await page.getByTestId("terminal-output").getByText("replicationcontroller/kubia-rc created").waitFor();
  await page.waitForFunction(
    () => [...document.querySelectorAll("[data-testid=lesson-check]")].every((e) => e.dataset.passed === "true"),
    null,
    { timeout: 60_000 },
  );
  assert.equal(await page.locator("[data-testid=pod][data-name^=kubia-rc-][data-ready=true]").count(), 3);
  await page.screenshot({ path: `${SCREENSHOTS}/lesson-kubia-step2.png` });
});

test("a placeholder command names a live pod", async () => {
  await panel().getByTestId("lesson-next").click();
  await page.locator("[data-testid=lesson-step][data-step='3']").waitFor();
  const first = await panel().getByTestId("lesson-command").first().textContent();
  assert.match(first, /^kubectl delete pod kubia-rc-[a-z0-9]{5}$/);
});

test("the panel follows the page's language", async () => {
  await page.getByTestId("language").selectOption("zh-CN");
  await panel().locator("h3", { hasText: "删除一个 Pod" }).waitFor();
  assert.match(await panel().getByTestId("lesson-next").textContent(), /下一步/);
  await page.screenshot({ path: `${SCREENSHOTS}/lesson-kubia-zh.png` });
  await page.getByTestId("language").selectOption("en");
  await panel().locator("h3", { hasText: "Delete a pod" }).waitFor();
});

test("after a reload the learner is back on the same lesson and step", async () => {
  await page.reload();
  await page.locator("[data-testid=editor][data-ready=true]").waitFor({ timeout: 30_000 });
  const step = page.locator("[data-testid=lesson-step][data-lesson=kubia-replication]");
  await step.waitFor();
  assert.equal(await step.getAttribute("data-step"), "3");
  await panel().getByTestId("lesson-back").click();
  const progress = await panel().locator("[data-testid=lesson-choice][data-id=kubia-replication]").textContent();
  assert.match(progress, /2\/7 steps done/);
});

test("no page errors and no request left the machine", () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(blocked, []);
});
