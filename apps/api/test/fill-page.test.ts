import type { FormDefinition } from "@coleta/forms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressDir } from "../../../scripts/precompress.mjs";
import { EMBEDDED_FORM_ID, jsonForScript, lookupWithin, withEmbeddedForm } from "../src/http/fill-page";
import { publishedForm } from "./support/fixtures";
import { type OwnerSuite, startOwnerSuite } from "./support/suite";
import { type TempFiles, tempFiles } from "./support/temp-files";

// `npm start` serves the fill page of an open form with the form in it (one round trip less on a
// slow phone); the page reads it instead of fetching GET /public/forms/{slug}.

/** Text that would end or change a <script> element if it were written into one as is. */
const HOSTILE = "</script><script>alert(1)</script> <!-- & > \u2028\u2029 olá";

const definition: FormDefinition = {
  schemaVersion: 1,
  title: `Survey ${HOSTILE}`,
  pages: [{ id: "p1", fields: [{ id: "name", type: "short_text", label: HOSTILE, required: true }] }],
};

const template = `<!doctype html><html><head><title>Coleta</title><script type="module" src="/frontend/assets/fill.js"></script></head><body><main id="root"></main></body></html>`;

/** The page as a browser gets it (fetch decodes the body; the headers say how it travelled). */
async function getPage(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** The JSON in the page's embedded-form element, or null when there is none. */
function embedded(html: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${EMBEDDED_FORM_ID}">([^<]*)</script>`).exec(
    html,
  );
  return match ? JSON.parse(match[1] as string) : null;
}

describe("JSON inside a script element", () => {
  it("has no character that could end the element, and reads back the same", () => {
    const value = { title: HOSTILE, nested: [HOSTILE] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
    const page = withEmbeddedForm(template, value);
    expect(page.match(/<\/script>/g)).toHaveLength(2); // the module's and ours, nothing more
    expect(page.indexOf(EMBEDDED_FORM_ID)).toBeLessThan(page.indexOf("</body>"));
    expect(embedded(page)).toEqual(value);
  });

  it("gives up on a lookup that fails or is slower than the page may wait", async () => {
    expect(await lookupWithin(async () => ({ ok: 1 }))).toEqual({ ok: 1 });
    expect(await lookupWithin(() => Promise.reject(new Error("database down")))).toBeNull();
    const slow = () => new Promise<{ late: number }>((r) => setTimeout(() => r({ late: 1 }), 200));
    expect(await lookupWithin(slow, 20)).toBeNull();
  });
});

describe("the fill page served with its form", () => {
  let dist: TempFiles;
  let suite: OwnerSuite;
  let web: string;
  let slug: string;

  beforeAll(async () => {
    dist = tempFiles("coleta-dist-", { "fill.html": template, "index.html": "<p>workspace</p>" });
    await precompressDir(dist.dir);
    suite = await startOwnerSuite({ env: { WEB_DIST_DIR: dist.dir } });
    ({ slug } = await publishedForm(suite.owner, suite.orgId, definition));
    web = `${suite.stack.url}/frontend`;
  });
  afterAll(async () => {
    await suite?.stop();
    dist?.remove();
  });

  it("embeds exactly what GET /public/forms/{slug} answers, escaped, compressed, revalidated", async () => {
    const api = await suite.client().get(`/public/forms/${slug}`);
    expect(api.status).toBe(200);

    const br = await getPage(`${web}/f/${slug}`, { "accept-encoding": "gzip, br" });
    expect(br.status).toBe(200);
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(br.headers.get("cache-control")).toBe("no-cache");
    expect(br.headers.get("vary")).toMatch(/accept-encoding/i);
    expect(embedded(br.html)).toEqual(api.body);
    expect(br.html.match(/<\/script>/g)).toHaveLength(2);
    expect(br.html).not.toContain("alert(1)</script>");

    const gz = await getPage(`${web}/f/${slug}/`, { "accept-encoding": "gzip" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(embedded(gz.html)).toEqual(api.body);
    const plain = await getPage(`${web}/f/${slug}`, { "accept-encoding": "identity" });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(embedded(plain.html)).toEqual(api.body);

    const etag = String(br.headers.get("etag"));
    const again = await getPage(`${web}/f/${slug}`, { "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.html).toBe("");
  });

  it("serves the page as built for unknown and closed forms (the page then says which)", async () => {
    const unknown = await getPage(`${web}/f/no-such-form`);
    expect(unknown.status).toBe(200);
    expect(unknown.html).toBe(template);

    const closed = await publishedForm(suite.owner, suite.orgId, { ...definition, title: "Closed" });
    expect((await suite.owner.post(`/orgs/${suite.orgId}/forms/${closed.formId}/close`)).status).toBe(200);
    expect((await getPage(`${web}/f/${closed.slug}`)).html).toBe(template);
  });
});
