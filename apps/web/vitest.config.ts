import { defineProject } from "vitest/config";
import { basePathConfig } from "./base-paths.ts";

export default defineProject({
  ...basePathConfig,
  test: {
    name: "web",
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "jsdom",
  },
});
