// Browser-test harness shared by the fill and workspace e2e suites (vitest project "web-e2e").
// See docs/web-fill.md ("E2E harness") for the API.
export * from "./api";
export * from "./browser";
export * from "./build";
export * from "./downloads";
export * from "./fill";
export * from "./journey";
export * from "./phone";
export * from "./stack";
