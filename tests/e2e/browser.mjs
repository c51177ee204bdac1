// Launches Debian's Chromium through playwright-core with the flags this machine needs, and a
// page that may talk to localhost only: every other request is blocked and remembered.
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync } from "node:fs";
import { startServer } from "./static-server.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SCREENSHOTS = "target/e2e-screenshots";
// The built page under test; KUBELAB_DIST lets parallel builds keep their own output folder.
export const DIST = process.env.KUBELAB_DIST ?? "dist";

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), "kubelab-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const blocked = [];
  await context.route("**/*", (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === "127.0.0.1" || hostname === "localhost") return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  return { context, blocked };
}

// The page is ready for a learner once Monaco has loaded into the editor pane.
export const EDITOR_READY = "[data-testid=editor][data-ready=true]";

// Serves DIST, opens it in an offline browser and (unless `goto` is false) waits for `ready`.
// Page errors are collected in `errors` so each test file can assert there were none.
export async function openLab({ goto = true, ready = EDITOR_READY } = {}) {
  const { server, url } = await startServer(DIST);
  const { context, blocked } = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (goto) {
    await page.goto(url);
    await page.locator(ready).waitFor({ timeout: 30_000 });
  }
  const close = async () => {
    await context.close();
    server.close();
  };
  return { server, url, context, blocked, page, errors, close };
}

// Types one line into the page's terminal and presses Enter, as the learner does.
export async function runIn(page, line) {
  const input = page.getByTestId("terminal-input");
  await input.fill(line);
  await input.press("Enter");
}

// The virtual clock shown in the top bar, in seconds.
export async function clockSeconds(page) {
  const [h, m, s] = (await page.getByTestId("clock").textContent()).split(":").map(Number);
  return h * 3600 + m * 60 + s;
}
