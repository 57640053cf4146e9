import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { FormDefinition } from "@coleta/forms";
import { titledForm } from "@coleta/forms/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { png } from "../../api/test/support/uploads";
import { fillEn } from "../src/i18n/fill.en";
import {
  addSessionCookies,
  type CreatedForm,
  createPublishedForm,
  type FillSuite,
  listSubmissions,
  outboxRecords,
  PHONE,
  screenshot,
  startFillSuite,
  waitForOfflineShell,
} from "./support";

const definition: FormDefinition = titledForm(
  "House visit",
  { id: "name", type: "short_text", label: "Your name", required: true },
  { id: "photo", type: "file", label: "Photo of the house", accept: ["image/*"], required: true },
);

/** A real RGB PNG of width × height (a gradient), as a phone camera might produce at that size. */
function gradientPng(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = (x * 255) / width;
      row[2 + x * 3] = (y * 255) / height;
      row[3 + x * 3] = ((x ^ y) & 0xff) as number;
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const QUEUED = fillEn["state.queued.body"];

/** Files stored by the API on disk (DATA_DIR/uploads), not counting half-received ones. */
function storedUploads(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, "uploads"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.parentPath.includes(".partial"))
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe("fill page: a photo taken offline", () => {
  let suite: FillSuite;
  let owner: FillSuite["owner"];
  let form: CreatedForm;
  let page: Page;

  beforeAll(async () => {
    suite = await startFillSuite({ deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    owner = suite.owner;
    form = await createPublishedForm(owner, definition, { slug: "house-visit" });
    page = await suite.context.newPage();
  });

  afterAll(() => suite?.close());

  it("queues the photo with the answers, survives a reload, and arrives once with identical bytes", async () => {
    await page.goto(form.fillUrl);
    await page.getByRole("heading", { name: "House visit" }).waitFor();
    await waitForOfflineShell(page);

    // A photo with random content (a valid PNG), so identical bytes cannot happen by chance.
    const photo = Buffer.from(png(200_000, 0));
    randomBytes(200_000).copy(photo, photo.length - 200_000);
    await suite.context.setOffline(true);
    await page.getByLabel(/Your name/).fill("Ana");
    await page.getByLabel(/Photo of the house/).setInputFiles({
      name: "frente da casa.png",
      mimeType: "image/png",
      buffer: photo,
    });
    await page.getByText(/frente da casa\.png/).waitFor();
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByText(QUEUED).waitFor();
    await screenshot(page, "fill-upload-queued-offline");
    expect(await listSubmissions(owner, form.id)).toHaveLength(0);
    expect(storedUploads(suite.stack.dataDir)).toHaveLength(0);

    // The queued response keeps the photo's bytes across a reload (IndexedDB).
    await page.reload();
    await page.getByText(QUEUED).waitFor();
    const queued = await outboxRecords(page);
    expect(queued).toEqual([expect.objectContaining({ files: 1, bytes: photo.length })]);

    await suite.context.setOffline(false);
    await page.getByRole("heading", { name: "Thank you!" }).waitFor({ timeout: 30_000 });

    const rows = await listSubmissions(owner, form.id);
    expect(rows).toHaveLength(1);
    const photos = rows[0]?.answers.photo as { uploadId: string; name: string; size: number; type: string }[];
    const answer = photos[0];
    expect(answer).toMatchObject({ name: "frente da casa.png", size: photo.length, type: "image/png" });
    expect(storedUploads(suite.stack.dataDir)).toHaveLength(1);

    const download = await owner.request(
      "GET",
      `/orgs/${owner.orgId}/forms/${form.id}/submissions/${rows[0]?.id}/files/photo`,
    );
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);

    // Another online event (a flapping connection) sends nothing again.
    await suite.context.setOffline(true);
    await suite.context.setOffline(false);
    await page.waitForTimeout(500);
    expect(await listSubmissions(owner, form.id)).toHaveLength(1);
    expect(storedUploads(suite.stack.dataDir)).toHaveLength(1);

    // The owner sees the photo as a thumbnail in the table, on the same phone-sized screen.
    const ownerContext = await suite.browser.newContext(PHONE);
    await addSessionCookies(ownerContext, owner);
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`${suite.stack.url}/frontend/o/${owner.orgId}/forms/${form.id}/submissions`);
    const thumbnail = ownerPage
      .getByTestId("submissions-table")
      .getByRole("img", { name: "frente da casa.png" });
    await thumbnail.waitFor();
    await ownerPage.waitForFunction(
      () => (document.querySelector(".file-answers img") as HTMLImageElement | null)?.complete === true,
    );
    expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await screenshot(ownerPage, "submissions-photo-thumbnail");
    await ownerContext.close();
  });

  it("scales a large photo down on the device when the question asks for it", async () => {
    const resized = await createPublishedForm(
      owner,
      {
        schemaVersion: 1,
        title: "Resized photo",
        pages: [
          {
            id: "p1",
            fields: [
              { id: "photo", type: "file", label: "Photo", accept: ["image/*"], imageMaxDimension: 400 },
            ],
          },
        ],
      },
      { slug: "resized-photo" },
    );
    const original = gradientPng(1600, 1200);
    await page.goto(resized.fillUrl);
    await page
      .getByLabel(/Photo/)
      .setInputFiles({ name: "big.png", mimeType: "image/png", buffer: original });
    await page.getByText(/big\.png/).waitFor();
    await page.getByRole("button", { name: "Submit" }).click();
    await page.getByRole("heading", { name: "Thank you!" }).waitFor({ timeout: 30_000 });

    const [row] = await listSubmissions(owner, resized.id);
    const stored = Buffer.from(
      await (
        await owner.request(
          "GET",
          `/orgs/${owner.orgId}/forms/${resized.id}/submissions/${row?.id}/files/photo`,
        )
      ).arrayBuffer(),
    );
    // IHDR: width and height at bytes 16 and 20 of a PNG.
    expect([stored.readUInt32BE(16), stored.readUInt32BE(20)]).toEqual([400, 300]);
    expect(stored.length).toBeLessThan(original.length);
    const answer = row?.answers.photo as { size: number }[];
    expect(answer[0]?.size).toBe(stored.length);
  });
});
