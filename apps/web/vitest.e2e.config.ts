import { existsSync } from "node:fs";
import { defineProject } from "vitest/config";

// Browser journeys: a real API process with the built web, driven through Debian's Chromium.
// Without Chromium (a laptop that never ran `apt-get install chromium`) the journeys are skipped
// with a notice; in CI (CI=true) a missing browser is a failure, never a silent skip.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const runnable = existsSync(chromium) || process.env.CI === "true";
if (!runnable) {
  console.warn(`web-e2e: ${chromium} not found, browser journeys skipped (apt-get install -y chromium).`);
}

export default defineProject({
  test: {
    name: "web-e2e",
    include: runnable ? ["e2e/**/*.e2e.test.ts"] : [],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
