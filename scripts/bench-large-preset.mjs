// Times what a learner waits for when picking the 5,000-node preset in the page: from the
// picker's change to the density grid, and every main-thread task of 50 ms or more meanwhile
// and for five seconds after (the Long Tasks API), while the clock plays.
//
//   node scripts/bench-large-preset.mjs [--profile FILE]
//
// The page is the release build in $KUBELAB_DIST (default dist/, from `scripts/build-page.sh`).
// `--profile FILE` also records a CPU profile through the DevTools protocol (open it in
// Chromium's DevTools; for function names, build the page's wasm with its name section).
import { writeFileSync } from "node:fs";
import { openLab } from "../tests/e2e/browser.mjs";

const at = process.argv.indexOf("--profile");
const profileFile = at > 0 ? process.argv[at + 1] : null;
const lab = await openLab({ ready: "[data-testid=terminal-input]" });
const { page } = lab;
try {
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
    }).observe({ type: "longtask" });
  });
  const cdp = await page.context().newCDPSession(page);
  if (profileFile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.start");
  }
  const picked = Date.now();
  await page.getByTestId("preset").selectOption("large-5000");
  await page.locator("[data-testid=density-grid][data-nodes='5001']").waitFor({ timeout: 600_000 });
  const gridMs = Date.now() - picked;
  const untilGrid = await page.evaluate(() => window.longTasks.slice());
  await page.waitForTimeout(5_000);
  const all = await page.evaluate(() => window.longTasks.slice());
  if (profileFile) writeFileSync(profileFile, JSON.stringify((await cdp.send("Profiler.stop")).profile));
  console.log(JSON.stringify({
    grid_ms: gridMs,
    longest_task_until_grid_ms: Math.max(0, ...untilGrid),
    longest_task_ms: Math.max(0, ...all),
    tasks_over_50_ms: all.length,
    tasks_over_200_ms: all.filter((t) => t > 200).length,
    long_tasks_ms: all,
  }));
} finally {
  await lab.close();
}
