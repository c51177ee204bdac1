// End-to-end: the terminal's behaviour beyond one command at a time — Ctrl+L, errors in red,
// history kept across a reload, the container shell's prompt after `kubectl exec -it … sh`,
// and output that keeps arriving as cluster time passes (`get -w`, `logs -f`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, EDITOR_READY as READY, SCREENSHOTS } from "./browser.mjs";

let lab, url, page, errors, blocked;

before(async () => {
  lab = await openLab();
  ({ url, page, errors, blocked } = lab);
  // Time passes only when a test says so.
  await page.getByTestId("time-play").click();
  await page.locator("[data-testid=time-play][aria-pressed=false]").waitFor();
});

after(async () => {
  await lab?.close();
});

const input = () => page.getByTestId("terminal-input");
const output = () => page.getByTestId("terminal-output");
async function run(line) {
  await input().fill(line);
  await input().press("Enter");
}
const lines = () => output().locator(".line");
// Lets `seconds` of cluster time pass with the +10 s button.
async function pass(seconds) {
  for (let i = 0; i < seconds / 10; i++) await page.getByTestId("time-step").click();
}

test("Ctrl+L clears the screen and keeps the input line", async () => {
  await run("kubectl get nodes");
  await output().getByText("minikube").first().waitFor();
  await input().fill("kubectl get po");
  await input().press("Control+l");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=terminal-output] .line").length === 0);
  assert.equal(await input().inputValue(), "kubectl get po");
  await input().fill("");
});

test("errors are shown in red, output in the normal colour", async () => {
  await run("kubectl get pods nope");
  const err = output().locator(".line.stderr", { hasText: 'Error from server (NotFound): pods "nope" not found' });
  await err.waitFor();
  const rgb = (el) => el.evaluate((e) => getComputedStyle(e).color.match(/\d+/g).map(Number));
  const [r, g, b] = await rgb(err);
  assert.ok(r > 180 && r > g + 60 && r > b + 60, `error line colour rgb(${r}, ${g}, ${b}) is red`);
  await run("kubectl get ns default -o name");
  const out = output().locator(".line.stdout", { hasText: "namespace/default" });
  const [r2, g2, b2] = await rgb(out);
  assert.ok(!(r2 > g2 + 60 && r2 > b2 + 60), "normal output is not red");
});

test("the container shell's prompt replaces the lab's after kubectl exec -it … sh, until exit", async () => {
  await run("kubectl run box --image=busybox -- sleep 3600");
  await pass(30);
  assert.equal(await page.getByTestId("prompt").textContent(), "[default] $ ");
  await run("kubectl exec -it box -- sh");
  await page.locator("[data-testid=prompt]", { hasText: "/ #" }).waitFor();
  await run("hostname");
  await output().locator(".line.command", { hasText: "/ # hostname" }).waitFor();
  await output().locator(".line.stdout", { hasText: /^box$/ }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/terminal-exec-shell.png` });
  await run("exit");
  await page.locator("[data-testid=prompt]", { hasText: "[default] $" }).waitFor();
});

test("kubectl get -w prints new rows as cluster time passes, without typing", async () => {
  await run("kubectl create deployment watched --image=nginx --replicas=2");
  await run("kubectl get pods -l app=watched -w");
  await output().getByText("kubectl get pods -l app=watched -w").last().waitFor();
  const rows = () => output().locator(".line", { hasText: /^watched-/ }).count();
  const first = await rows();
  await pass(30);
  // No pod existed when the watch began: as kubectl, the header came with the first row.
  await output().locator(".line", { hasText: /^NAME\s+READY\s+STATUS/ }).last().waitFor();
  await output().locator(".line", { hasText: /^watched-.*Running/ }).first().waitFor();
  assert.ok((await rows()) > first, "the watch printed more rows");
  await input().press("Control+c");
  await output().locator(".line", { hasText: /^\^C$/ }).last().waitFor();
});

test("kubectl logs -f follows the container's output as time passes", async () => {
  await run("kubectl run ticker --image=busybox -- sh -c 'while true; do echo tick; sleep 5; done'");
  await pass(20);
  await run("kubectl logs -f ticker");
  const ticks = () => output().locator(".line.stdout", { hasText: /^tick$/ }).count();
  await output().locator(".line.stdout", { hasText: /^tick$/ }).first().waitFor();
  const first = await ticks();
  await pass(20);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("[data-testid=terminal-output] .line.stdout")].filter((l) => l.textContent === "tick").length >= n + 3,
    first,
  );
  await input().press("Control+c");
  const stopped = await ticks();
  await pass(20);
  assert.equal(await ticks(), stopped, "Ctrl+C stopped following");
});

test("the command history survives a reload (↑ recalls it)", async () => {
  await run("kubectl get nodes -o wide");
  await page.reload();
  await page.locator(READY).waitFor({ timeout: 30_000 });
  await input().focus();
  await input().press("ArrowUp");
  assert.equal(await input().inputValue(), "kubectl get nodes -o wide");
  await input().press("ArrowUp");
  assert.equal(await input().inputValue(), "kubectl logs -f ticker");
});

test("Ctrl+Z stops a watch as a job, bg continues it in the background", async () => {
  await run("kubectl get pods -l app=watched -w");
  await output().locator(".line", { hasText: /^NAME\s+READY\s+STATUS/ }).last().waitFor();
  await input().press("Control+z");
  await output().locator(".line", { hasText: /^\^Z$/ }).last().waitFor();
  await output().locator(".line", { hasText: /^\[1\]\+\s+Stopped\s+kubectl get pods -l app=watched -w$/ }).waitFor();
  await run("jobs");
  await output().locator(".line", { hasText: /^\[1\]\+\s+Stopped\s+kubectl get pods -l app=watched -w$/ }).nth(1).waitFor();
  await run("bg");
  await output().locator(".line", { hasText: /^\[1\]\+ kubectl get pods -l app=watched -w &$/ }).waitFor();
  // The prompt is back while the job runs on: a new pod shows up in its rows.
  const watchedRows = () =>
    page.evaluate(() => [...document.querySelectorAll("[data-testid=terminal-output] .line")].filter((l) => /^watched-/.test(l.textContent)).length);
  const before = await watchedRows();
  await run("kubectl scale deployment watched --replicas=3");
  await pass(10);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll("[data-testid=terminal-output] .line")].filter((l) => /^watched-/.test(l.textContent)).length > n,
    before,
  );
  await run("kill %1");
  await page.screenshot({ path: `${SCREENSHOTS}/terminal-ctrl-z.png` });
});

test("no page errors and no request left localhost", () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(blocked, []);
});
