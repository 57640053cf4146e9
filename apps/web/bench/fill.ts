// npm run bench:fill — what a respondent on a slow phone gets from `npm start`.
//
// Serves the built web app with the real API (apps/web/e2e/support: same wiring as `npm start`),
// publishes a small form, and loads its fill page in Chromium with a cold cache, throttled through
// the DevTools protocol like a poor mobile connection: 400 kbit/s both ways, 400 ms round trip,
// CPU 4x slower. Prints the bytes transferred and the time until the first field is visible, for
// the precompressed responses and, in the same run, for the same files uncompressed (the browser
// asking for no encoding). Median of RUNS loads each (default 3; BENCH_RUNS to change).
import type { FormDefinition } from "@coleta/forms";
import { choice } from "@coleta/forms/testing";
import type { Browser } from "playwright-core";
import { createPublishedForm, ensureWebBuilt, launchBrowser, signUpOwner, startStack } from "../e2e/support";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const THROTTLE = {
  offline: false,
  latency: 400, // ms added to each round trip
  downloadThroughput: (400 * 1000) / 8, // bytes per second
  uploadThroughput: (400 * 1000) / 8,
};
const CPU_SLOWDOWN = 4;
const BUDGET_BYTES = 35 * 1024;
const BUDGET_MS = 2500;

const definition = {
  schemaVersion: 1,
  title: "Field survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Your name", required: true },
        { id: "visits", type: "number", label: "How many visits?", min: 0, max: 100, integer: true },
        choice("single_choice", "kind", "Kind of site", { farm: "Farm", school: "School" }),
      ],
    },
  ],
} satisfies FormDefinition;

interface Load {
  bytes: number;
  requests: number;
  firstFieldMs: number;
}

// Installed before any page script: notes when the first form control is on screen.
const FIRST_FIELD_PROBE = `(() => {
  const check = () => {
    const el = document.querySelector("#root input, #root select, #root textarea");
    if (el && el.getBoundingClientRect().height > 0) { window.__firstFieldMs = performance.now(); return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

async function loadOnce(browser: Browser, url: string, compressed: boolean): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    serviceWorkers: "block",
    // The baseline: the same server, asked for no encoding (Chromium honours an explicit header).
    ...(compressed ? {} : { extraHTTPHeaders: { "Accept-Encoding": "identity" } }),
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(FIRST_FIELD_PROBE);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", THROTTLE);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    let bytes = 0;
    let requests = 0;
    const urls = new Map<string, string>();
    cdp.on("Network.requestWillBeSent", (event: { requestId: string; request: { url: string } }) => {
      urls.set(event.requestId, event.request.url);
    });
    cdp.on("Network.loadingFinished", (event: { requestId: string; encodedDataLength: number }) => {
      bytes += event.encodedDataLength;
      requests++;
      // BENCH_VERBOSE=1: what each request cost on the wire (headers included).
      if (process.env.BENCH_VERBOSE)
        console.log(
          `    ${compressed ? "br" : "identity"} ${event.encodedDataLength} B ${urls.get(event.requestId)}`,
        );
    });
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    await page.waitForFunction(() => (window as { __firstFieldMs?: number }).__firstFieldMs, undefined, {
      timeout: 120_000,
      polling: 100,
    });
    await page.waitForLoadState("networkidle", { timeout: 120_000 });
    const firstFieldMs = await page.evaluate(
      () => (window as { __firstFieldMs?: number }).__firstFieldMs ?? 0,
    );
    return { bytes, requests, firstFieldMs };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main() {
  await ensureWebBuilt();
  const stack = await startStack({ NODE_ENV: "production", AUTH_SECRET: "bench-secret-".padEnd(40, "x") });
  const browser = await launchBrowser();
  try {
    const owner = await signUpOwner(stack.url);
    const form = await createPublishedForm(owner, definition);
    const results: Record<"compressed" | "uncompressed", Load[]> = { compressed: [], uncompressed: [] };
    // Alternate the two, so a busy moment on the machine does not land on one side only.
    for (let i = 0; i < RUNS; i++) {
      results.compressed.push(await loadOnce(browser, form.fillUrl, true));
      results.uncompressed.push(await loadOnce(browser, form.fillUrl, false));
    }
    console.log(
      `Fill page, cold cache, 400 kbit/s, 400 ms RTT, CPU ${CPU_SLOWDOWN}x slower; median of ${RUNS} loads`,
    );
    console.log("                 transferred   requests   first field visible");
    for (const [name, loads] of Object.entries(results)) {
      const kb = `${(median(loads.map((l) => l.bytes)) / 1024).toFixed(1)} KB`;
      const ms = `${(median(loads.map((l) => l.firstFieldMs)) / 1000).toFixed(2)} s`;
      console.log(
        `  ${name.padEnd(14)} ${kb.padStart(11)}   ${String(median(loads.map((l) => l.requests))).padStart(8)}   ${ms.padStart(19)}`,
      );
    }
    const bytes = median(results.compressed.map((l) => l.bytes));
    const ms = median(results.compressed.map((l) => l.firstFieldMs));
    console.log(
      `Targets: <= ${BUDGET_BYTES / 1024} KB ${bytes <= BUDGET_BYTES ? "met" : "MISSED"}, first field < ${BUDGET_MS / 1000} s ${ms < BUDGET_MS ? "met" : "MISSED"}`,
    );
  } finally {
    await browser.close();
    await stack.close();
  }
}

await main();
