// @vitest-environment node
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deviceFile, keepFile } from "../renderer/device-files";
import { Outbox } from "./outbox";

const ID = "6f1c1a8e-3b8a-4c5e-9a57-2f6f0d6f1b12";
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const outboxes: Outbox[] = [];
afterEach(() => {
  for (const o of outboxes.splice(0)) o.stop();
});

/** An outbox on `dbName` (a page of its own; the same name is a reload), stopped after the test. */
function openOutbox(fetchMock: unknown, dbName: string, target = new EventTarget()): Outbox {
  const outbox = new Outbox({ fetch: fetchMock as typeof fetch, baseUrl: "/backend", dbName, target });
  outboxes.push(outbox);
  return outbox;
}

function photo(): { answer: Record<string, unknown>; uploadId: string; bytes: Uint8Array } {
  const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
  const uploadId = keepFile(new Blob([bytes], { type: "image/png" }));
  return {
    answer: { photo: [{ uploadId, name: "casa.png", size: bytes.length, type: "image/png" }] },
    uploadId,
    bytes,
  };
}

describe("Outbox with files", () => {
  it("uploads each file once, before the answers, and resumes after the last confirmed file", async () => {
    const { answer, uploadId, bytes } = photo();
    const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
    let failSubmission = true;
    const fetchMock = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), headers: init?.headers as Record<string, string>, body: init?.body });
      if (String(url).endsWith("/uploads")) return json(201, { id: uploadId });
      if (failSubmission) throw new TypeError("Failed to fetch");
      return json(201, { id: ID, receivedAt: "2026-01-01T00:00:00Z" });
    });
    const target = new EventTarget();
    const outbox = openOutbox(fetchMock, "files1", target);

    expect((await outbox.submit("survey", ID, answer)).status).toBe("queued");
    const [queued] = await outbox.list();
    expect(queued?.files).toHaveLength(1);
    expect(queued?.files?.[0]).toMatchObject({ uploadId, name: "casa.png", sent: true });

    // A new page (reload) on the same database: the file is not sent again, only the answers.
    failSubmission = false;
    const reloaded = openOutbox(fetchMock, "files1");
    await reloaded.start();
    expect(await reloaded.list()).toEqual([]);
    const uploads = calls.filter((c) => c.url.endsWith("/uploads"));
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.url).toBe("/backend/public/forms/survey/uploads");
    expect(uploads[0]?.headers).toMatchObject({
      "content-type": "image/png",
      "x-file-name": "casa.png",
      "x-upload-id": uploadId,
    });
    const sentBlob = uploads[0]?.body as Blob;
    expect(new Uint8Array(await sentBlob.arrayBuffer())).toEqual(bytes);
    const submission = calls.filter((c) => c.url.endsWith("/submissions")).pop();
    expect(JSON.parse(String(submission?.body)).answers.photo[0].uploadId).toBe(uploadId);
    expect(deviceFile(uploadId)).toBeUndefined(); // the device lets go of the bytes once stored
  });

  it("retries a file whose upload was cut off, with the same upload id", async () => {
    const { answer, uploadId } = photo();
    let attempts = 0;
    const fetchMock = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      if (String(url).endsWith("/uploads")) {
        attempts++;
        if (attempts === 1) throw new TypeError("network lost");
        const headers = init?.headers as Record<string, string>;
        expect(headers["x-upload-id"]).toBe(uploadId);
        return json(200, { id: uploadId });
      }
      return json(201, { id: ID });
    });
    const outbox = openOutbox(fetchMock, "files2");
    expect((await outbox.submit("survey", ID, answer)).status).toBe("queued");
    expect((await outbox.send(ID)).status).toBe("sent");
    expect(attempts).toBe(2);
  });

  it("sends the bytes straight to the bucket when the API hands out a presigned POST", async () => {
    const { answer, uploadId } = photo();
    const bucketPosts: FormData[] = [];
    const fetchMock = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      if (String(url).endsWith("/uploads")) {
        return json(201, {
          id: uploadId,
          upload: { url: "https://bucket.example/", fields: { key: "k", Policy: "p" } },
        });
      }
      if (String(url) === "https://bucket.example/") {
        bucketPosts.push(init?.body as FormData);
        return new Response(null, { status: 204 });
      }
      return json(201, { id: ID });
    });
    const outbox = openOutbox(fetchMock, "files3");
    expect((await outbox.submit("survey", ID, answer)).status).toBe("sent");
    expect(bucketPosts).toHaveLength(1);
    expect([...(bucketPosts[0] as FormData).keys()]).toEqual(["key", "Policy", "file"]);
  });

  it("stops with the server's verdict when a file is refused (413)", async () => {
    const { answer } = photo();
    const fetchMock = vi.fn(async () =>
      json(413, { code: "payload_too_large", detail: "The file is larger than this form accepts." }),
    );
    const outbox = openOutbox(fetchMock, "files4");
    const outcome = await outbox.submit("survey", ID, answer);
    expect(outcome).toMatchObject({ status: "failed", failure: { status: 413, code: "payload_too_large" } });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
