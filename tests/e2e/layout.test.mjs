// End-to-end: the page's shell — the loading indicator, keyboard reach with a visible focus
// ring across the top bar, pane splitters that move by mouse and by keyboard, room for every
// pane at 1280×720 (with the events drawer open too) and at tablet width, and a Chinese page
// whose frame strings are all translated.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openLab, EDITOR_READY as READY, SCREENSHOTS } from "./browser.mjs";

let lab, url, page, errors, blocked;

// The first test loads the page itself, holding parts of it back.
before(async () => {
  lab = await openLab({ goto: false });
  ({ url, page, errors, blocked } = lab);
});

after(async () => {
  await lab?.close();
});

test("a loading indicator shows while the app and then Monaco load", async () => {
  // Hold the app's wasm and Monaco's main module back a moment, as a slow network would.
  let releaseWasm, releaseMonaco;
  const wasmHeld = new Promise((r) => (releaseWasm = r));
  const monacoHeld = new Promise((r) => (releaseMonaco = r));
  await page.route(/\.wasm$/, async (route) => { await wasmHeld; await route.continue(); });
  await page.route(/editor\.main\.js$/, async (route) => { await monacoHeld; await route.continue(); });
  await page.goto(url);
  const loading = page.locator("#loading[role=status]");
  await loading.waitFor();
  assert.match(await loading.textContent(), /Loading kubelab/);
  await page.screenshot({ path: `${SCREENSHOTS}/layout-loading.png` });
  releaseWasm();
  await loading.waitFor({ state: "detached" });
  const editorLoading = page.locator("[data-testid=editor] .editor-status[role=status]");
  await editorLoading.waitFor();
  assert.match(await editorLoading.textContent(), /Loading editor/);
  releaseMonaco();
  await page.locator(READY).waitFor({ timeout: 30_000 });
  assert.equal(await editorLoading.count(), 0);
  await page.unroute(/\.wasm$/);
  await page.unroute(/editor\.main\.js$/);
});

test("Tab reaches every top-bar control, each with a visible focus outline", async () => {
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  await page.evaluate(() => document.activeElement?.blur());
  const wanted = ["preset", "time-play", "time-step-1", "time-step", "time-next", "time-speed", "reset", "share-button", "lab-menu", "language", "theme"];
  const seen = new Map();
  for (let i = 0; i < 30 && seen.size < wanted.length; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || !el.closest("header.topbar")) return null;
      const id = el.dataset.testid ?? el.closest("[data-testid]")?.dataset.testid;
      const s = getComputedStyle(el);
      return { id, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), visible: el.matches(":focus-visible") };
    });
    if (focus?.id && wanted.includes(focus.id)) seen.set(focus.id, focus);
  }
  for (const id of wanted) {
    const f = seen.get(id);
    assert.ok(f, `${id} is reachable with Tab`);
    assert.ok(f.visible && f.outline !== "none" && f.width >= 2, `${id} shows a focus outline (${JSON.stringify(f)})`);
  }
  await page.keyboard.press("Shift+Tab");
  await page.screenshot({ path: `${SCREENSHOTS}/layout-focus.png` });
});

test("the splitters resize panes with the keyboard and with the mouse", async () => {
  const width = () => page.locator(".editor-pane").evaluate((e) => e.getBoundingClientRect().width);
  const splitter = page.getByRole("separator", { name: "Resize the editor" });
  const before = await width();
  await splitter.focus();
  assert.ok(await splitter.evaluate((e) => e.matches(":focus-visible")), "the splitter shows it has focus");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  assert.equal(Math.round(await width()), Math.round(before - 48));
  const box = await splitter.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  assert.equal(Math.round(await width()), Math.round(before + 12));

  const termHeight = () => page.locator(".terminal").evaluate((e) => e.getBoundingClientRect().height);
  const h = await termHeight();
  await page.getByRole("separator", { name: "Resize the terminal" }).focus();
  await page.keyboard.press("ArrowUp");
  assert.equal(Math.round(await termHeight()), Math.round(h + 24));
});

// Every pane has room to be used: visible, inside the viewport, not squeezed to nothing.
async function assertPanesUsable(label) {
  const boxes = await page.evaluate(() => {
    const box = (sel) => {
      const el = document.querySelector(sel);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y + window.scrollY, w: r.width, h: r.height };
    };
    return {
      editor: box("[data-testid=editor] .editor-host"),
      terminal: box("[data-testid=terminal-output]"),
      input: box("[data-testid=terminal-input]"),
      cluster: box("[data-testid=cluster-view]"),
      apply: box("[data-testid=apply-button]"),
      page: { w: document.documentElement.scrollWidth, vw: window.innerWidth },
    };
  });
  for (const [name, min] of [["editor", [200, 150]], ["terminal", [200, 60]], ["cluster", [200, 120]], ["input", [100, 10]], ["apply", [30, 15]]]) {
    const b = boxes[name];
    assert.ok(b, `${label}: ${name} is on the page`);
    assert.ok(b.w >= min[0] && b.h >= min[1], `${label}: ${name} has room (${Math.round(b.w)}×${Math.round(b.h)})`);
    assert.ok(b.x >= 0 && b.x + b.w <= boxes.page.vw + 1, `${label}: ${name} fits the width`);
  }
  assert.ok(boxes.page.w <= boxes.page.vw + 1, `${label}: no sideways scrolling (${boxes.page.w} > ${boxes.page.vw})`);
}

test("at 1280×720 every pane is usable, also with the events drawer open", async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.reload();
  await page.locator(READY).waitFor({ timeout: 30_000 });
  await assertPanesUsable("1280×720");
  await page.getByTestId("drawer-toggle").click();
  await page.locator("[data-testid=drawer-toggle][aria-expanded=true]").waitFor();
  await assertPanesUsable("1280×720, drawer open");
  // The terminal's input stays inside the window, so the learner can type without scrolling.
  const input = await page.getByTestId("terminal-input").boundingBox();
  assert.ok(input.y + input.height <= 720, `terminal input at y=${input.y} is on screen`);
  await page.screenshot({ path: `${SCREENSHOTS}/layout-1280x720-drawer.png` });
  await page.getByTestId("drawer-toggle").click();
});

test("at tablet width (820 px) the panes stack and stay usable", async () => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.locator(READY).waitFor();
  await assertPanesUsable("820 px");
  await page.screenshot({ path: `${SCREENSHOTS}/layout-tablet-820.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
});

test("in 中文 the frame's strings are translated", async () => {
  await page.getByTestId("language").selectOption("zh-CN");
  await page.locator("html[lang=zh-CN]").waitFor();
  await page.getByTestId("apply-button").getByText("应用").waitFor();
  // No English word of the frame is left in the controls and labels.
  const english = await page.evaluate(() => {
    const texts = [];
    for (const el of document.querySelectorAll("header.topbar, .editor-bar, .term-tabs, .sidebar figcaption, .splitter, .cv-toolbar, .cv-legend, .cv-drawer .cv-tabs")) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) texts.push(walker.currentNode.textContent.trim());
      for (const a of ["title", "aria-label"]) {
        for (const n of [el, ...el.querySelectorAll(`[${a}]`)]) if (n.getAttribute(a)) texts.push(n.getAttribute(a));
      }
    }
    // Names that stay as they are in Chinese: the product, kubectl command lines, file and
    // preset names, Kubernetes kinds (the templates are named by kind, e.g. "pvc") and the pod
    // states of the legend, which are kubectl's STATUS words.
    const keep = /^(kubelab|kubectl .*|manifest\.yaml|English|中文|\+1 s|\+10 s|\d+×|[\d:]+|minikube.*|multinode.*|kubeadm.*|large.*|pod.*|deployment.*|service.*|ingress.*|configmap.*|job.*|cronjob.*|statefulset.*|persistentvolumeclaim.*|pvc|daemonset.*|secret.*|×|\+|Pending|ContainerCreating|Ready|Terminating|CrashLoopBackOff|Completed|Error|ImagePullBackOff)$/i;
    return texts.filter((t) => t && /[A-Za-z]{3,}/.test(t) && !/[\u4e00-\u9fff]/.test(t) && !keep.test(t));
  });
  assert.deepEqual(english, []);
  await page.screenshot({ path: `${SCREENSHOTS}/layout-zh.png` });
  await page.getByTestId("language").selectOption("en");
});

test("no page errors and no request left localhost", () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(blocked, []);
});
