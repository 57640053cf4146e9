import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COMPONENT_RUNBOOKS, COMPONENTS, RUNBOOK_DIR, runbookPath } from "@coleta/monitoring";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
// The CloudFront function is plain source (see infra/aws/test/edge-functions.test.ts).
import { SPA_ROUTING_FUNCTION_CODE } from "../../../../infra/aws/lib/constructs/edge-functions";
import type { AppEnv } from "../context";
import { mountWeb } from "../http/web-static";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("runbooks", () => {
  const files = readdirSync(join(ROOT, RUNBOOK_DIR)).filter((f) => f.endsWith(".md") && f !== "README.md");

  it("every status component has its runbook file", () => {
    for (const component of Object.values(COMPONENTS)) {
      expect(existsSync(join(ROOT, runbookPath(component.runbook))), component.runbook).toBe(true);
    }
    expect(COMPONENT_RUNBOOKS.length).toBe(Object.keys(COMPONENTS).length);
  });

  it("the index (docs/runbooks/README.md) links every runbook file in the folder", () => {
    const index = read(`${RUNBOOK_DIR}/README.md`);
    const missing = files.filter((f) => !index.includes(`](${f})`) && !index.includes(`](./${f})`));
    expect(missing, `add these to ${RUNBOOK_DIR}/README.md`).toEqual([]);
    // …and links nothing that is not there.
    const linked = [...index.matchAll(/\]\(\.?\/?([\w.-]+\.md)\)/g)].map((m) => m[1]);
    expect(linked.filter((f) => !existsSync(join(ROOT, RUNBOOK_DIR, f as string)))).toEqual([]);
  });

  it("each status runbook starts with what people experience and whom to call", () => {
    for (const id of COMPONENT_RUNBOOKS) {
      const text = read(runbookPath(id));
      expect(text, id).toMatch(/what people experience/i);
      expect(text, id).toMatch(/whom to call/i);
    }
  });
});

describe("the board page is reachable at /frontend/status everywhere", () => {
  it("CloudFront rewrites /frontend/status to status.html (other routes unchanged)", () => {
    const handler = new Function(`${SPA_ROUTING_FUNCTION_CODE}\nreturn handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const route = (uri: string) => handler({ request: { uri } }).uri;
    expect(route("/frontend/status")).toBe("/frontend/status.html");
    expect(route("/frontend/status/")).toBe("/frontend/status.html");
    expect(route("/frontend/status.html")).toBe("/frontend/status.html");
    expect(route("/frontend/statuses")).toBe("/frontend/index.html");
    expect(route("/frontend/f/status")).toBe("/frontend/fill.html");
  });

  it("the API's own static server (npm start) serves status.html for /frontend/status", async () => {
    const dist = mkdtempSync(join(tmpdir(), "coleta-web-"));
    try {
      for (const name of ["index", "fill", "status"]) writeFileSync(join(dist, `${name}.html`), name);
      const app = new Hono<AppEnv>();
      mountWeb(app, "/frontend", dist);
      const body = async (path: string) => (await app.request(path)).text();
      expect(await body("/frontend/status")).toBe("status");
      expect(await body("/frontend/status/")).toBe("status");
      expect(await body("/frontend/forms")).toBe("index");
      expect(await body("/frontend/f/x")).toBe("fill");
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it("nginx (compose) serves status.html for /frontend/status", () => {
    const nginx = read("deploy/compose/nginx.conf");
    expect(nginx).toMatch(
      /location ~ \^\/frontend\/status\/\?\$ \{[^}]*try_files \/frontend\/status\.html =404;/,
    );
  });

  it("the Vite build has a status entry", () => {
    expect(read("apps/web/vite.config.ts")).toMatch(
      /status: resolve\(import\.meta\.dirname, "status\.html"\)/,
    );
    expect(existsSync(join(ROOT, "apps/web/status.html"))).toBe(true);
  });
});
