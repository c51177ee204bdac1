// Runs `kubelab bench` scenarios in wasm in headless Chromium through the page's benchmark
// route (index.html?bench=…, crates/web/src/bench_page.rs) and prints one JSON object per
// scenario, as `kubelab bench <name> --json` prints natively.
//
//   node scripts/bench-browser.mjs 'sched&nodes=5000&pods=10000' 'api&pods=20000'
//
// Each argument is the query after `bench=`. The page is the release build in $KUBELAB_DIST
// (default dist/, from `scripts/build-page.sh`); nothing outside localhost is reached.
import { startServer } from "../tests/e2e/static-server.mjs";
import { launch, DIST } from "../tests/e2e/browser.mjs";

const scenarios = process.argv.slice(2);
if (scenarios.length === 0) {
  console.error("usage: node scripts/bench-browser.mjs 'api&pods=20000' 'sched&nodes=5000' …");
  process.exit(2);
}
const { server, url } = await startServer(DIST);
const { context, blocked } = await launch();
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  for (const scenario of scenarios) {
    await page.goto(`${url}?bench=${scenario}`);
    const result = page.locator("#bench-result[data-done=true]");
    // Large scenarios run for minutes on a shared machine.
    await result.waitFor({ timeout: 60 * 60 * 1000 });
    const figures = JSON.parse(await result.textContent());
    if (figures.error) failed = true;
    console.log(JSON.stringify({ scenario, wasm: figures }));
  }
} finally {
  await context.close();
  server.close();
}
if (blocked.length) console.error(`blocked requests: ${blocked.join(", ")}`);
process.exit(failed ? 1 : 0);
