import { describe, expect, it } from "vitest";
import { ROOT_REDIRECT_FUNCTION_CODE, SPA_ROUTING_FUNCTION_CODE } from "../lib/constructs/edge-functions.js";

type Handler = (event: { request: { uri: string } }) => {
  uri?: string;
  statusCode?: number;
  headers?: Record<string, { value: string }>;
};
// The CloudFront Functions are plain ES5; run them as CloudFront would.
const load = (code: string) => new Function(`${code}\nreturn handler;`)() as Handler;

describe("SPA routing function (/frontend/*)", () => {
  const spa = load(SPA_ROUTING_FUNCTION_CODE);
  const route = (uri: string) => spa({ request: { uri } }).uri;

  it.each([
    ["/frontend/", "/frontend/index.html"],
    ["/frontend/forms/123/edit", "/frontend/index.html"],
    ["/frontend/f/my-survey", "/frontend/fill.html"],
    ["/frontend/f/my-survey/thanks", "/frontend/fill.html"],
  ])("rewrites the app route %s to %s", (uri, expected) => {
    expect(route(uri)).toBe(expected);
  });

  it.each([
    "/frontend/assets/index-abc123.js",
    "/frontend/favicon.ico",
    "/frontend/fill.html",
    "/frontend/f/logo.png",
  ])("passes the file %s through", (uri) => {
    expect(route(uri)).toBe(uri);
  });
});

describe("root redirect function (default behaviour)", () => {
  it("redirects / to /frontend/", () => {
    const response = load(ROOT_REDIRECT_FUNCTION_CODE)({ request: { uri: "/" } });
    expect(response.statusCode).toBe(302);
    expect(response.headers?.location?.value).toBe("/frontend/");
  });
});
