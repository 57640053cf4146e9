import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Entry, fromBufferPromise } from "yauzl";
import { createUploadService } from "../src/uploads";
import type { TestClient } from "./support/client";
import { publishedForm } from "./support/fixtures";
import type { TestStack } from "./support/stack";
import { type FormSuite, startFormSuite } from "./support/suite";
import { filesDefinition, png, uploadFile } from "./support/uploads";

let suite: FormSuite, stack: TestStack, owner: TestClient, orgId: string, formId: string, slug: string;
let respondent: TestClient;
let otherSlug: string;
const MAX = 2 * 1024 * 1024;

const upload = (bytes: Uint8Array | null, options?: Parameters<typeof uploadFile>[3]) =>
  uploadFile(stack.url, slug, bytes, options);
const submit = (answers: Record<string, unknown>, id?: string, toSlug = slug) =>
  respondent.submit(toSlug, answers, id);
const fileUrl = (submissionId: string, fieldId: string, index?: number) =>
  `/orgs/${orgId}/forms/${formId}/submissions/${submissionId}/files/${fieldId}${index === undefined ? "" : `/${index}`}`;
const download = (client: TestClient, path: string) => client.raw(path);
const uploadsDir = () => join(stack.config.dataDir, "uploads");
const storedFiles = (): string[] =>
  existsSync(uploadsDir())
    ? readdirSync(uploadsDir(), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];

/** Every entry of a ZIP, read with yauzl (an independent reader, not the writer we test). */
async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await fromBufferPromise(buffer, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", async (entry: Entry) => {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      } catch (error) {
        reject(error);
      }
    });
    zip.once("end", () => resolve());
    zip.once("error", reject);
    zip.readEntry();
  });
  return files;
}

beforeAll(async () => {
  suite = await startFormSuite(filesDefinition, {
    env: { UPLOAD_SWEEP_INTERVAL_MS: "0", UPLOAD_MAX_BYTES: String(MAX) },
  });
  ({ stack, owner, orgId, formId, slug } = suite);
  respondent = suite.client();
  ({ slug: otherSlug } = await publishedForm(owner, orgId, filesDefinition));
}, 120_000);
afterAll(() => suite?.stop());

describe("uploads and file answers", () => {
  it("stores a photo, accepts it as an answer and gives the owner back identical bytes", async () => {
    const bytes = png(3000, 7);
    const sent = await upload(bytes, { name: "casa à tarde.png" });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ name: "casa à tarde.png", size: bytes.length, type: "image/png" });
    expect(sent.body.upload).toBeUndefined();

    const second = await upload(png(10, 1), { name: "b.png" });
    const id = randomUUID();
    const stored = await submit({ photos: [{ uploadId: sent.body.id }, { uploadId: second.body.id }] }, id);
    expect(stored.status).toBe(201);

    const read = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions/${id}`);
    expect(read.body.answers.photos).toEqual([
      { uploadId: sent.body.id, name: "casa à tarde.png", size: bytes.length, type: "image/png" },
      { uploadId: second.body.id, name: "b.png", size: png(10).length, type: "image/png" },
    ]);

    const file = await download(owner, fileUrl(id, "photos"));
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(file.headers.get("content-disposition")).toBe(
      `inline; filename="casa _ tarde.png"; filename*=UTF-8''casa%20%C3%A0%20tarde.png`,
    );
    const byIndex = await download(owner, fileUrl(id, "photos", 1));
    expect(new Uint8Array(await byIndex.arrayBuffer())).toEqual(png(10, 1));
    expect((await download(owner, fileUrl(id, "photos", 2))).status).toBe(404);
    expect((await download(owner, fileUrl(id, "name"))).status).toBe(404);
  });

  it("is idempotent on the client's upload id: same bytes 200 and one row, other bytes 409", async () => {
    const uploadId = randomUUID().toUpperCase();
    const first = await upload(png(100), { id: uploadId });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe(uploadId.toLowerCase());
    const again = await upload(png(100), { id: uploadId });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const different = await upload(png(101), { id: uploadId });
    expect(different.status).toBe(409);
    expect(different.body.code).toBe("upload_id_conflict");
    const otherForm = await uploadFile(stack.url, otherSlug, png(100), { id: uploadId });
    expect(otherForm.status).toBe(409);
    const rows = await stack.services.database.query("SELECT 1 FROM upload WHERE id = $1", [
      uploadId.toLowerCase(),
    ]);
    expect(rows).toHaveLength(1);
  });

  it("refuses a type no file question accepts (415) and a file larger than any allows (413)", async () => {
    const exe = await upload(new Uint8Array([77, 90]), { type: "application/x-msdownload", name: "a.exe" });
    expect(exe.status).toBe(415);
    expect(exe.headers.get("content-type")).toContain("application/problem+json");
    expect(exe.body.code).toBe("file_type_not_allowed");
    expect((await upload(png(), { type: "not a type" })).status).toBe(415);

    // The document question has no size rule, so the form takes up to UPLOAD_MAX_BYTES (2 MiB here).
    const before = storedFiles().length;
    const huge = await upload(new Uint8Array(MAX + 1), { type: "application/pdf", name: "x.pdf" });
    expect(huge.status).toBe(413);
    const hugeChunked = await upload(new Uint8Array(MAX + 1), {
      type: "application/pdf",
      name: "x.pdf",
      chunked: true,
    });
    expect(hugeChunked.status).toBe(413);
    expect(hugeChunked.body.code).toBe("payload_too_large");
    expect(storedFiles().length).toBe(before);
  });

  it("checks each question's own rules when the submission refers to the upload", async () => {
    const big = await upload(png(70 * 1024), { name: "big.png" }); // fine for the form, not for photos
    expect(big.status).toBe(201);
    const pdf = await upload(new Uint8Array([37, 80, 68, 70]), { type: "application/pdf", name: "r.pdf" });
    const small = [await upload(png(1)), await upload(png(2)), await upload(png(3))];
    const reply = await submit({
      photos: small.map((u) => ({ uploadId: u.body.id })),
      document: [{ uploadId: big.body.id }],
    });
    expect(reply.status).toBe(422);
    const codes = Object.fromEntries(
      reply.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    );
    expect(codes).toEqual({ photos: "too_many_files", document: "file_type_not_allowed" });

    const tooBig = await submit({ photos: [{ uploadId: big.body.id }] });
    expect(tooBig.body.errors[0]).toMatchObject({ path: "photos", code: "file_too_large" });
    const wrongQuestion = await submit({ photos: [{ uploadId: pdf.body.id }] });
    expect(wrongQuestion.body.errors[0]).toMatchObject({ path: "photos", code: "file_type_not_allowed" });
  });

  it("refuses unknown upload ids, another form's uploads and another submission's uploads", async () => {
    const unknown = await submit({ photos: [{ uploadId: randomUUID() }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: "photos", code: "unknown_upload" });

    const elsewhere = await uploadFile(stack.url, otherSlug, png(5));
    const crossForm = await submit({ photos: [{ uploadId: elsewhere.body.id }] });
    expect(crossForm.body.errors[0]).toMatchObject({ path: "photos", code: "unknown_upload" });

    const mine = await upload(png(6));
    const id = randomUUID();
    expect((await submit({ photos: [{ uploadId: mine.body.id }] }, id)).status).toBe(201);
    // The same device retrying its own submission is fine…
    const retry = await submit({ photos: [{ uploadId: mine.body.id }] }, id);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(true);
    // …someone else reusing the id is not.
    const stolen = await submit({ photos: [{ uploadId: mine.body.id }] });
    expect(stolen.status).toBe(422);
    expect(stolen.body.errors[0]).toMatchObject({ path: "photos", code: "upload_in_use" });
    const malformed = await submit({ photos: [{ uploadId: "../../etc/passwd" }] });
    expect(malformed.body.errors[0]).toMatchObject({ path: "photos", code: "invalid_type" });
  });

  it("keeps only the name of a path in X-File-Name, and never uses it for storage", async () => {
    const sent = await upload(png(8), { name: "../../../../etc/passwd.png" });
    expect(sent.status).toBe(201);
    expect(sent.body.name).toBe("passwd.png");
    expect((await upload(png(8), { name: "../" })).status).toBe(400);
    expect((await upload(png(8), { headers: { "x-file-name": "%E0%A4%A" } })).status).toBe(400);
    for (const path of storedFiles()) {
      expect(path.startsWith(uploadsDir())).toBe(true);
      expect(path).not.toContain("passwd");
    }
  });

  it("serves what a browser could run as a download, never inline", async () => {
    const html = new TextEncoder().encode("<script>alert(1)</script>");
    const sent = await upload(html, { type: "text/html", name: "page.html" });
    const id = randomUUID();
    expect((await submit({ document: [{ uploadId: sent.body.id }] }, id)).status).toBe(201);
    const file = await download(owner, fileUrl(id, "document"));
    expect(file.headers.get("content-type")).toBe("application/octet-stream");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="page.html"/);
    expect(file.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("lets only members read files", async () => {
    const sent = await upload(png(9));
    const id = randomUUID();
    await submit({ photos: [{ uploadId: sent.body.id }] }, id);
    expect((await download(suite.client(), fileUrl(id, "photos"))).status).toBe(401);
    const outsider = suite.client();
    await outsider.signUp();
    expect((await download(outsider, fileUrl(id, "photos"))).status).toBe(404);
  });

  it("deletes a submission's files when it is erased", async () => {
    const sent = await upload(png(11));
    const id = randomUUID();
    await submit({ photos: [{ uploadId: sent.body.id }] }, id);
    const before = storedFiles().length;
    expect((await owner.delete(`/orgs/${orgId}/forms/${formId}/submissions/${id}`)).status).toBe(204);
    expect(storedFiles().length).toBe(before - 1);
    expect(
      await stack.services.database.query("SELECT 1 FROM upload WHERE id = $1", [sent.body.id]),
    ).toHaveLength(0);
    expect((await download(owner, fileUrl(id, "photos"))).status).toBe(404);
  });

  it("sweeps unreferenced uploads once they expire, and files of deleted forms", async () => {
    const service = createUploadService(stack.services);
    const kept = await upload(png(12));
    const id = randomUUID();
    await submit({ photos: [{ uploadId: kept.body.id }] }, id);
    const stray = await upload(png(13));
    const { formId: doomedForm, slug: doomedSlug } = await publishedForm(owner, orgId, filesDefinition);
    const doomed = await uploadFile(stack.url, doomedSlug, png(14));
    await submit({ photos: [{ uploadId: doomed.body.id }] }, randomUUID(), doomedSlug);

    await stack.services.database.query(
      "UPDATE upload SET expires_at = now() - interval '1 second' WHERE id = $1",
      [stray.body.id],
    );
    expect((await owner.delete(`/orgs/${orgId}/forms/${doomedForm}`)).status).toBe(204);
    const before = storedFiles().length;
    expect(await service.sweep()).toBe(2);
    expect(storedFiles().length).toBe(before - 2);
    const left = await stack.services.database.query<{ id: string }>(
      "SELECT id FROM upload WHERE id = ANY($1::uuid[])",
      [[kept.body.id, stray.body.id, doomed.body.id]],
    );
    expect(left.map((r) => r.id)).toEqual([kept.body.id]);
    expect((await download(owner, fileUrl(id, "photos"))).status).toBe(200);
  });

  it("exports a ZIP with the data, every attachment and a list of download links", async () => {
    const { formId: zipForm, slug: zipSlug } = await publishedForm(owner, orgId, filesDefinition);
    const a = png(500, 1);
    const b = png(600, 2);
    const ua = await uploadFile(stack.url, zipSlug, a, { name: "a/../fachada:1.png" });
    const ub = await uploadFile(stack.url, zipSlug, b, { name: "quintal.png" });
    const id = randomUUID();
    await submit({ name: "Ana", photos: [{ uploadId: ua.body.id }, { uploadId: ub.body.id }] }, id, zipSlug);
    await submit({ name: "Bia" }, randomUUID(), zipSlug);

    const response = await download(owner, `/orgs/${orgId}/forms/${zipForm}/submissions/export.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    const photoA = `files/${id}/photos/0-fachada_1.png`;
    const photoB = `files/${id}/photos/1-quintal.png`;
    expect([...files.keys()].sort()).toEqual(["files.csv", photoA, photoB, "submissions.csv"].sort());
    expect(new Uint8Array(files.get(photoA) as Buffer)).toEqual(a);
    expect(new Uint8Array(files.get(photoB) as Buffer)).toEqual(b);
    const data = (files.get("submissions.csv") as Buffer).toString("utf8").trim().split("\r\n");
    expect(data).toHaveLength(3);
    const base = `${stack.url}/backend/orgs/${orgId}/forms/${zipForm}/submissions/${id}/files/photos`;
    // The data file (and the plain CSV export) link each file: name column, then `;`-separated URLs.
    expect(data.find((line) => line.startsWith(id))).toContain(`,Ana,${base}/0;${base}/1,`);
    const plain = await download(owner, `/orgs/${orgId}/forms/${zipForm}/submissions/export?format=csv`);
    expect(await plain.text()).toContain(`,Ana,${base}/0;${base}/1,`);
    const links = (files.get("files.csv") as Buffer).toString("utf8").trim().split("\r\n");
    expect(links[0]).toBe("submission_id,field_id,index,name,path,url");
    const url = `${stack.url}/backend/orgs/${orgId}/forms/${zipForm}/submissions/${id}/files/photos/1`;
    expect(links[2]).toBe(`${id},photos,1,quintal.png,${photoB},${url}`);
    const viaLink = await fetch(url, { headers: { cookie: owner.cookieHeader } });
    expect(new Uint8Array(await viaLink.arrayBuffer())).toEqual(b);

    // The data file takes the CSV export's options (pt-BR spreadsheets: BOM and `;`); bad ones are a 400.
    const ptBr = await download(
      owner,
      `/orgs/${orgId}/forms/${zipForm}/submissions/export.zip?bom=true&separator=semicolon&field.name=Ana`,
    );
    const ptBrData = (await unzip(Buffer.from(await ptBr.arrayBuffer()))).get("submissions.csv") as Buffer;
    expect(ptBrData.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const ptBrLines = ptBrData.toString("utf8").trim().split("\r\n");
    expect(ptBrLines).toHaveLength(2);
    expect(ptBrLines[1]).toContain(";Ana;");
    const bad = await download(owner, `/orgs/${orgId}/forms/${zipForm}/submissions/export.zip?separator=tab`);
    expect(bad.status).toBe(400);
  });

  it("answers 404 for a form without file questions and 410 for a closed one", async () => {
    const { slug: plain } = await publishedForm(owner, orgId);
    expect((await uploadFile(stack.url, plain, png())).status).toBe(404);
    const { formId: closingId, slug: closing } = await publishedForm(owner, orgId, filesDefinition);
    expect((await owner.post(`/orgs/${orgId}/forms/${closingId}/close`)).status).toBe(200);
    expect((await uploadFile(stack.url, closing, png())).status).toBe(410);
  });
});
