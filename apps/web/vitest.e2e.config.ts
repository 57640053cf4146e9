import { defineProject } from "vitest/config";

// Browser journeys: a real API process with the built web, driven through Debian's Chromium.
export default defineProject({
  test: {
    name: "web-e2e",
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
