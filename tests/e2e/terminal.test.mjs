// End-to-end: the terminal as a learner types in it — the namespace prompt, Tab completion,
// Ctrl+C on a watch, several tabs, and pasting a block of lines.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const input = () => page.getByTestId("terminal-input");
const output = () => page.getByTestId("terminal-output");
async function run(line) {
  await input().fill(line);
  await input().press("Enter");
}
const lineCount = () => page.locator("[data-testid=terminal-output] .line").count();

test("Tab completes verbs, resource types, names, flags and files", async () => {
  await input().fill("kubectl get po");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl get pods ");

  await input().fill("kubectl desc");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl describe ");

  await input().fill("kubectl get nodes mini");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl get nodes minikube ");

  await input().fill("kubectl get pods --all-n");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl get pods --all-namespaces ");

  await run("echo 'kind: Namespace' > ns-demo.yaml");
  await input().fill("kubectl apply -f ns-");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl apply -f ns-demo.yaml ");

  // Several candidates: the common part is inserted and the choices are listed.
  await input().fill("kubectl r");
  await input().press("Tab");
  const choices = await page.getByTestId("completions").locator("span").allTextContents();
  assert.ok(choices.includes("rollout") && choices.includes("run"), choices.join(" "));
  await page.screenshot({ path: `${SCREENSHOTS}/terminal-completions.png` });
  await input().fill("");
  await input().press("Escape");
});

test("the prompt shows the namespace kubectl uses", async () => {
  assert.equal(await page.getByTestId("prompt").textContent(), "[default] $ ");
  await run("kubectl config set-context --current --namespace=kube-system");
  await page.waitForFunction(() => document.querySelector("[data-testid=prompt]").textContent === "[kube-system] $ ");
  await run("kubectl config set-context --current --namespace=default");
  await page.waitForFunction(() => document.querySelector("[data-testid=prompt]").textContent === "[default] $ ");
  // Once `cd` leaves home the prompt shows the directory, as bash's \w does.
  await run("mkdir manifests");
  await run("cd manifests");
  await page.waitForFunction(() => document.querySelector("[data-testid=prompt]").textContent === "[default] ~/manifests $ ");
  await run("cd");
  await page.waitForFunction(() => document.querySelector("[data-testid=prompt]").textContent === "[default] $ ");
});

test("Ctrl+C stops a running watch", async () => {
  await page.getByTestId("time-play").click(); // pause: only the step button moves time
  await run("kubectl create deployment watched --image=nginx");
  await run("kubectl get pods -w");
  // No pod exists yet: as kubectl, the watch prints its header with the first row.
  await output().getByText("kubectl get pods -w").last().waitFor();
  const before = await lineCount();
  await page.getByTestId("time-step").click();
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=terminal-output] .line").length > n, before);
  await output().getByText(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/).last().waitFor();
  await input().press("Control+c");
  await output().locator(".line", { hasText: /^\^C$/ }).waitFor();
  const stopped = await lineCount();
  await run("kubectl scale deployment watched --replicas=3");
  await output().getByText("deployment.apps/watched scaled").waitFor();
  const afterScale = await lineCount();
  await page.getByTestId("time-step").click();
  await page.getByTestId("time-step").click();
  await page.waitForTimeout(300);
  assert.equal(await lineCount(), afterScale, "nothing more is printed once the watch is stopped");
  assert.ok(afterScale > stopped);
  await page.getByTestId("time-play").click();
});

test("kubectl's wide tables keep their columns in the narrow pane; messages wrap", async () => {
  await run("kubectl get pods -A -o wide");
  const header = output().locator(".line.stdout", { hasText: /^NAMESPACE\s+NAME\s+READY/ }).last();
  await header.waitFor();
  const fontSize = parseFloat(await header.evaluate((e) => getComputedStyle(e).fontSize));
  const box = await header.boundingBox();
  assert.ok(box.height < fontSize * 2, `the header stays on one line (${box.height}px at ${fontSize}px)`);
  const scroll = await output().evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  assert.ok(scroll.scroll > scroll.client, "the output scrolls sideways instead of wrapping");
  await page.screenshot({ path: `${SCREENSHOTS}/terminal-wide-table.png` });
  await run("kubectl get pods --selector 'this is not a selector at all, it goes on and on and on well past the pane'");
  const message = output().locator(".line.stderr").last();
  await message.waitFor();
  const wrapped = await message.evaluate((e) => ({ w: e.scrollWidth, client: e.parentElement.clientWidth }));
  assert.ok(wrapped.w <= wrapped.client, "an error message wraps within the pane");
  await run("clear");
});

test("several terminal tabs keep their own scrollback over one cluster", async () => {
  await run("echo first-tab-line");
  await page.getByTestId("terminal-new-tab").click();
  assert.equal(await page.getByTestId("terminal-tab").count(), 2);
  assert.equal(await page.getByTestId("terminal-tab").nth(1).getAttribute("aria-selected"), "true");
  assert.equal(await lineCount(), 0);
  await run("kubectl get deployment watched -o name");
  await output().getByText("deployment.apps/watched").waitFor();
  assert.equal(await output().getByText("first-tab-line").count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}/terminal-tabs.png` });
  await page.getByTestId("terminal-tab").nth(0).click();
  await output().getByText("first-tab-line", { exact: true }).waitFor();
  assert.equal(await output().getByText("deployment.apps/watched", { exact: true }).count(), 0);
  await page.getByTestId("terminal-tab-close").nth(1).click();
  assert.equal(await page.getByTestId("terminal-tab").count(), 1);
});

test("a pasted block of lines runs line by line, here-documents included", async () => {
  await input().focus();
  await page.evaluate(() => {
    const field = document.querySelector("[data-testid=terminal-input]");
    const data = new DataTransfer();
    data.setData("text/plain", "cat > pasted.yaml <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: pasted\nEOF\nkubectl apply -f pasted.yaml\nkubectl get ns pas");
    field.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await output().getByText("namespace/pasted created").waitFor();
  assert.equal(await input().inputValue(), "kubectl get ns pas", "the unfinished last line waits in the input");
  await input().press("Tab");
  assert.equal(await input().inputValue(), "kubectl get ns pasted ");
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
