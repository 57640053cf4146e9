import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox } from "./outbox";

const ID = "6f1c1a8e-3b8a-4c5e-9a57-2f6f0d6f1b11";
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

let dbCount = 0;
const outboxes: Outbox[] = [];
function makeOutbox(fetchImpl: typeof fetch) {
  const target = new EventTarget();
  const outbox = new Outbox({ fetch: fetchImpl, baseUrl: "/backend", dbName: `t${++dbCount}`, target });
  outboxes.push(outbox);
  return { outbox, target };
}
afterEach(() => {
  for (const o of outboxes.splice(0)) o.stop();
});

describe("Outbox", () => {
  it("keeps a submission queued while offline and sends it once when `online` fires", async () => {
    let online = false;
    const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => {
      if (!online) throw new TypeError("Failed to fetch");
      return json(201, { id: ID, receivedAt: "2026-01-01T00:00:00Z" });
    });
    const { outbox, target } = makeOutbox(fetchMock as typeof fetch);
    await outbox.start();

    const outcome = await outbox.submit("survey", ID, { name: "Ana" });
    expect(outcome.status).toBe("queued");
    const [queued] = await outbox.list();
    expect(queued).toMatchObject({ id: ID, slug: "survey", status: "pending", attempts: 1 });
    expect(queued?.answers).toEqual({ name: "Ana" });

    const sent = new Promise((resolve) => outbox.subscribe((e) => e.type === "sent" && resolve(e)));
    online = true;
    target.dispatchEvent(new Event("online"));
    target.dispatchEvent(new Event("online")); // a flapping connection must not double-send
    await sent;
    await vi.waitFor(async () => expect(await outbox.list()).toEqual([]));
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === "POST");
    expect(posts).toHaveLength(2); // one failed offline attempt + exactly one successful send
    const [url, init] = posts[1] as [string, RequestInit];
    expect(url).toBe("/backend/public/forms/survey/submissions");
    expect(JSON.parse(String(init.body))).toEqual({ id: ID, answers: { name: "Ana" } });
  });

  it("survives a reload: a new Outbox on the same database sends what was queued on start()", async () => {
    const failing = vi.fn(async () => {
      throw new TypeError("offline");
    });
    const first = new Outbox({ fetch: failing as typeof fetch, dbName: "reload", target: new EventTarget() });
    await first.submit("survey", ID, { a: 1 });
    const ok = vi.fn(async () => json(201, { id: ID }));
    const second = new Outbox({ fetch: ok as typeof fetch, dbName: "reload", target: new EventTarget() });
    outboxes.push(second);
    await second.start();
    expect(ok).toHaveBeenCalledTimes(1);
    expect(await second.list()).toEqual([]);
  });

  it("counts a 200 duplicate as sent and keeps the same id on every retry", async () => {
    const responses = [json(503, {}), json(429, {}, { "retry-after": "1" }), json(200, { id: ID })];
    const fetchMock = vi.fn(async () => responses.shift() as Response);
    const { outbox } = makeOutbox(fetchMock as typeof fetch);
    expect((await outbox.submit("survey", ID, { a: 1 })).status).toBe("queued");
    expect((await outbox.send(ID)).status).toBe("queued");
    const item = await outbox.get(ID);
    expect(item?.lastError).toBe("HTTP 429");
    const result = await outbox.send(ID);
    expect(result).toMatchObject({ status: "sent", duplicate: true });
    expect(await outbox.list()).toEqual([]);
    const ids = fetchMock.mock.calls.map(
      (c) => JSON.parse(String((c as unknown[])[1] && ((c as unknown[])[1] as RequestInit).body)).id,
    );
    expect(new Set(ids)).toEqual(new Set([ID]));
  });

  it("marks a 422 as failed with the server's field errors and does not retry it", async () => {
    const problem = {
      type: "about:blank",
      title: "Validation failed",
      status: 422,
      code: "validation_failed",
      errors: [{ path: "name", code: "required", message: "This field is required." }],
    };
    const fetchMock = vi.fn(async () => json(422, problem, { "content-type": "application/problem+json" }));
    const { outbox } = makeOutbox(fetchMock as typeof fetch);
    await outbox.start();
    const outcome = await outbox.submit("survey", ID, {});
    expect(outcome).toMatchObject({
      status: "failed",
      failure: { status: 422, code: "validation_failed", errors: [{ path: "name", code: "required" }] },
    });
    expect((await outbox.get(ID))?.status).toBe("failed");
    await outbox.flush(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("marks 410 form_closed as failed", async () => {
    const fetchMock = vi.fn(async () => json(410, { code: "form_closed", detail: "closed" }));
    const { outbox } = makeOutbox(fetchMock as typeof fetch);
    const outcome = await outbox.submit("survey", ID, {});
    expect(outcome).toMatchObject({ status: "failed", failure: { status: 410, code: "form_closed" } });
  });
});
