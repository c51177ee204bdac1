// Launches Debian's Chromium through playwright-core with the flags this machine needs, and a
// page that may talk to localhost only: every other request is blocked and remembered.
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
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
