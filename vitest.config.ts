import { defineConfig } from "vitest/config";

// One `npm test` runs every workspace's tests; each workspace owns its own project config.
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "apps/*",
      "apps/web/vitest.e2e.config.ts",
      "infra/*",
      "deploy",
      "deploy/kubernetes",
    ],
  },
});
