import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "http-policy", include: ["src/**/*.test.ts"] },
});
