// End-to-end: the page's frame — cluster presets, time controls, language, theme, and the
// layout at laptop and tablet widths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, runIn, clockSeconds, SCREENSHOTS } from "./browser.mjs";

let lab, url, context, blocked, page, errors;

before(async () => {
  lab = await openLab();
  ({ url, context, blocked, page, errors } = lab);
});

after(async () => lab?.close());

const run = (line) => runIn(page, line);
const seconds = () => clockSeconds(page);

test("the preset picker builds a three-node multinode cluster", async () => {
  await page.getByTestId("preset").selectOption("multinode");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=node]").length === 3);
  const names = await page.locator("[data-testid=node]").evaluateAll((els) => els.map((e) => e.dataset.name));
  assert.deepEqual(names.sort(), ["minikube", "minikube-m02", "minikube-m03"]);
  await run("kubectl get nodes -o name");
  await page.getByTestId("terminal-output").getByText("node/minikube-m03").waitFor();
  await page.getByTestId("preset").selectOption("kubeadm");
  await page.locator("[data-testid=node][data-name=k8s-master]").waitFor();
  assert.equal(await page.locator("[data-testid=node]").count(), 3);
  assert.equal(await page.getByTestId("terminal-output").getByText("node/minikube-m03").count(), 0, "a new preset starts a new terminal");
});

test("step 1 s, step 10 s and next event move the paused clock", async () => {
  await page.getByTestId("time-play").click();
  assert.equal(await page.getByTestId("time-play").getAttribute("aria-pressed"), "false");
  const start = await seconds();
  await page.getByTestId("time-step-1").click();
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    return h * 3600 + m * 60 + s === t;
  }, start + 1);
  await page.getByTestId("time-step").click();
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    return h * 3600 + m * 60 + s === t;
  }, start + 11);
  // The next scheduled event (a lease renewal at the latest) is never far away.
  await page.getByTestId("time-next").click();
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    const now = h * 3600 + m * 60 + s;
    return now >= t && now <= t + 60;
  }, start + 11);
  const speeds = await page.getByTestId("time-speed").locator("option").allTextContents();
  assert.deepEqual(speeds, ["1×", "2×", "5×", "10×", "50×", "100×"]);
  await page.getByTestId("reset").click();
  // A reset lab is the preset as handed over: booted, its clock a few seconds in.
  await page.waitForFunction((t) => {
    const [h, m, s] = document.querySelector("[data-testid=clock]").textContent.split(":").map(Number);
    const now = h * 3600 + m * 60 + s;
    return now > 0 && now < t && now <= 60;
  }, start + 11);
  await page.locator("[data-testid=node][data-name=k8s-master]").waitFor();
});

// Every fixed string of the frame in English; none may stay once 中文 is chosen.
const ENGLISH = [
  "a Kubernetes cluster in your browser", "Cluster", "Play", "Pause", "Next event", "cluster time",
  "Reset", "Share", "Lab", "Dark", "Light", "Apply", "Insert a template…", "Terminal 1",
  "Restore last lab", "Export lab file", "Import lab file",
];
const frameText = () =>
  page.evaluate(() => {
    const parts = [];
    for (const sel of [".topbar", ".editor-bar", ".term-tabs", "[data-testid=banner]", "[data-testid=editor-check]"]) {
      for (const el of document.querySelectorAll(sel)) {
        parts.push(el.innerText);
        for (const a of el.querySelectorAll("[aria-label],[title]")) {
          parts.push(a.getAttribute("aria-label") ?? "", a.getAttribute("title") ?? "");
        }
      }
    }
    return parts.join("\n");
  });

test("the language switch changes every string of the frame", async () => {
  await page.getByTestId("lab-menu").locator("summary").click();
  const english = await frameText();
  for (const s of ["Share", "Reset", "Apply", "Terminal 1", "cluster time"]) assert.ok(english.includes(s), s);
  await page.getByTestId("language").selectOption("zh-CN");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  assert.equal(await page.getByTestId("share-button").textContent(), "分享");
  assert.equal(await page.getByTestId("reset").textContent(), "重置");
  assert.equal(await page.getByTestId("apply-button").textContent(), "应用");
  assert.equal(await page.getByTestId("terminal-tab").first().textContent(), "终端 1");
  const chinese = await frameText();
  for (const s of ENGLISH) {
    assert.ok(!new RegExp(`(^|[^A-Za-z])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z])`, "m").test(chinese),
      `"${s}" is still shown in English`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/frame-zh.png` });
  // The choice is kept across a reload.
  await page.reload();
  await page.locator("[data-testid=editor][data-ready=true]").waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId("share-button").textContent(), "分享");
  await page.getByTestId("language").selectOption("en");
  assert.equal(await page.getByTestId("share-button").textContent(), "Share");
  if (await page.getByTestId("lab-menu").evaluate((d) => d.open)) {
    await page.getByTestId("lab-menu").locator("summary").click();
  }
});

test("the theme switch turns the whole page and the editor dark", async () => {
  const light = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).backgroundColor);
  await page.getByTestId("theme").click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  const dark = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).backgroundColor);
  assert.notEqual(dark, light);
  const [r, g, b] = dark.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `dark top bar: ${dark}`);
  await page.locator(".monaco-editor.vs-dark").waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/frame-dark.png` });
  await page.getByTestId("theme").click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
});

test("the frame fits 1280×720 and a tablet's width", async () => {
  const fits = () => page.evaluate(() => {
    const bar = document.querySelector(".topbar").getBoundingClientRect();
    const out = [...document.querySelectorAll(".topbar button, .topbar select, .topbar summary")]
      .filter((el) => el.checkVisibility() && !el.closest(".menu-items"))
      .filter((el) => { const r = el.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.bottom > bar.bottom + 1; });
    return { overflow: document.documentElement.scrollWidth - window.innerWidth, out: out.map((e) => e.outerHTML.slice(0, 60)) };
  });
  let r = await fits();
  assert.deepEqual(r, { overflow: 0, out: [] });
  const bar = await page.locator(".topbar").boundingBox();
  await page.screenshot({ path: `${SCREENSHOTS}/frame-1280.png` });
  assert.ok(bar.height <= 48, `one row of controls at 1280 px (${bar.height}px)`);
  await page.setViewportSize({ width: 820, height: 1180 });
  r = await fits();
  assert.deepEqual(r, { overflow: 0, out: [] });
  for (const id of ["share-button", "time-play", "language", "terminal-input", "apply-button"]) {
    assert.ok(await page.getByTestId(id).isVisible(), id);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/frame-tablet.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.deepEqual(blocked, [], "requests outside localhost");
  assert.deepEqual(errors, [], "uncaught page errors");
});
