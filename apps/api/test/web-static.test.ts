import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressDir } from "../../../scripts/precompress.mjs";
import { acceptedEncodings } from "../src/http/precompressed";
import { type ApiSuite, startSuite } from "./support/suite";
import { type TempFiles, tempFiles } from "./support/temp-files";

// `npm start` serves the web build the way a CDN would: the brotli/gzip copies written at build
// time (scripts/precompress.mjs), chosen by Accept-Encoding, immutable caching for hashed assets,
// revalidation (ETag → 304) for HTML.

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request without fetch's automatic decompression: we want the bytes on the wire. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on("error", reject)
      .end();
  });
}

const script = `export const greeting = ${JSON.stringify("olá ".repeat(2000))};\n`;
const html = `<!doctype html><html><head><title>Coleta</title></head><body>${"<p>fill</p>".repeat(200)}</body></html>`;

describe("precompressed web build", () => {
  let dist: TempFiles;
  let suite: ApiSuite;
  let web: string;

  beforeAll(async () => {
    dist = tempFiles("coleta-dist-", {
      "assets/fill-abc123.js": script,
      "fill.html": html,
      "index.html": html.replace("fill", "workspace"),
      "tiny.txt": "small",
    });
    await precompressDir(dist.dir);
    suite = await startSuite({ WEB_DIST_DIR: dist.dir });
    web = `${suite.stack.url}/frontend`;
  });
  afterAll(async () => {
    await suite?.stop();
    dist?.remove();
  });

  it("sends brotli when accepted, else gzip, else the original, always with Vary", async () => {
    const url = `${web}/assets/fill-abc123.js`;
    const br = await rawGet(url, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(script) / 5);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);

    const gz = await rawGet(url, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const refusedBr = await rawGet(url, { "accept-encoding": "br;q=0, gzip;q=0.8" });
    expect(refusedBr.headers["content-encoding"]).toBe("gzip");

    const plain = await rawGet(url);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);

    for (const reply of [br, gz, plain]) {
      expect(reply.headers.vary).toMatch(/accept-encoding/i);
      expect(reply.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    }
  });

  it("caches hashed assets for a year and makes HTML revalidate with an ETag (304)", async () => {
    const asset = await rawGet(`${web}/assets/fill-abc123.js`, { "accept-encoding": "br" });
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

    // A path under assets/ that is not a file is the app's HTML, not an immutable asset.
    const route = await rawGet(`${web}/assets/`, { "accept-encoding": "br" });
    expect(route.headers["cache-control"]).toBe("no-cache");

    const page = await rawGet(`${web}/f/some-form`, { "accept-encoding": "br" });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(brotliDecompressSync(page.body).toString()).toBe(html);
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^".+"$/);

    const again = await rawGet(`${web}/f/some-form`, { "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Another encoding is another representation: no 304 on the brotli tag.
    const other = await rawGet(`${web}/f/some-form`, { "accept-encoding": "gzip", "if-none-match": etag });
    expect(other.status).toBe(200);
  });

  it("does not compress tiny files, and never serves the copies by name or outside the build", async () => {
    const tiny = await rawGet(`${web}/tiny.txt`, { "accept-encoding": "br, gzip" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("small");
    expect((await rawGet(`${web}/assets/fill-abc123.js.br`)).status).toBe(404);
    expect((await rawGet(`${web}/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await rawGet(`${web}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it("serves the API reference assets with Vary and revalidation", async () => {
    const bundle = await rawGet(`${suite.stack.url}/backend/docs/assets/swagger-ui.css`, {
      "accept-encoding": "br",
    });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.vary).toMatch(/accept-encoding/i);
    expect(bundle.headers.etag).toBeTruthy();
  });
});

describe("Accept-Encoding parsing", () => {
  it("keeps what the client accepts and drops q=0", () => {
    expect([...acceptedEncodings("gzip, deflate, br")]).toEqual(["gzip", "deflate", "br"]);
    expect([...acceptedEncodings("br;q=0, gzip;q=0.5")]).toEqual(["gzip"]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
    expect([...acceptedEncodings("BR")]).toEqual(["br"]);
  });
});
