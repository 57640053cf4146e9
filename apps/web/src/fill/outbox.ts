// The outbox: every submission is written to IndexedDB *before* it is sent, and leaves it only when
// the server confirmed it (201 stored, or 200 "already had it"). Network failures, 5xx and 429 keep
// it queued; it is re-sent on `online`, on page load (start()) and with exponential backoff. The
// submission id never changes, so the server's idempotency makes every retry safe.
import type { Answers } from "@coleta/forms";
import { deviceFile, forgetFile } from "../renderer/device-files";
import { API_BASE } from "./api";
import { idbStore, type KeyValueStore, memoryStore, openDatabase } from "./idb";
import { type OutboxFile, sendFile } from "./upload";

export interface ServerIssue {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

export interface OutboxItem {
  id: string;
  slug: string;
  answers: Answers;
  /**
   * The files of the file answers, bytes included (IndexedDB stores Blobs), sent one by one before
   * the answers; each is marked sent as soon as the server has it, so a reload resumes after it.
   */
  files?: OutboxFile[];
  createdAt: number;
  status: "pending" | "failed";
  attempts: number;
  nextAttemptAt: number;
  /** Set when status is "failed" (a 4xx other than 429): the server's verdict. */
  failure?: { status: number; code?: string; message?: string; errors?: ServerIssue[] };
  lastError?: string;
}

export type SendOutcome =
  | { status: "sent"; id: string; duplicate: boolean; receivedAt?: string }
  | { status: "queued"; id: string; reason: string; retryAt: number }
  | { status: "failed"; id: string; failure: NonNullable<OutboxItem["failure"]> }
  | { status: "busy"; id: string };

export type OutboxEvent =
  | { type: "queued"; item: OutboxItem }
  | { type: "sending"; item: OutboxItem }
  | { type: "sent"; item: OutboxItem; duplicate: boolean; receivedAt?: string }
  | { type: "retry"; item: OutboxItem; reason: string }
  | { type: "failed"; item: OutboxItem };

export interface OutboxOptions {
  fetch?: typeof fetch;
  baseUrl?: string;
  dbName?: string;
  /** Milliseconds to wait before attempt n+1 (n ≥ 1). */
  backoff?: (attempts: number) => number;
  now?: () => number;
  /** Where `online` is listened for (window). */
  target?: EventTarget;
  store?: KeyValueStore<OutboxItem>;
}

export const DB_NAME = "coleta-fill";
const STORE = "outbox";

export function defaultBackoff(attempts: number): number {
  const base = Math.min(5 * 60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class Outbox {
  private readonly fetchImpl: typeof fetch;
  private readonly baseUrl: string;
  private readonly backoff: (attempts: number) => number;
  private readonly now: () => number;
  private readonly target: EventTarget | undefined;
  private readonly dbName: string;
  private storePromise: Promise<KeyValueStore<OutboxItem>> | null = null;
  private readonly inFlight = new Map<string, Promise<SendOutcome>>();
  private readonly listeners = new Set<(event: OutboxEvent) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private readonly onOnline = () => {
    void this.flush(true);
  };

  constructor(options: OutboxOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? API_BASE;
    this.backoff = options.backoff ?? defaultBackoff;
    this.now = options.now ?? Date.now;
    this.target = options.target ?? (typeof window === "undefined" ? undefined : window);
    this.dbName = options.dbName ?? DB_NAME;
    if (options.store) this.storePromise = Promise.resolve(options.store);
  }

  private store(): Promise<KeyValueStore<OutboxItem>> {
    this.storePromise ??= openDatabase(this.dbName, { [STORE]: "id" }).then(
      (db) => idbStore<OutboxItem>(db, STORE),
      () => memoryStore<OutboxItem>("id"),
    );
    return this.storePromise;
  }

  subscribe(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: OutboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Listen for `online`, send whatever is waiting (page load), keep the backoff timer running. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.target?.addEventListener("online", this.onOnline);
    }
    return this.flush(true);
  }

  stop(): void {
    this.started = false;
    this.target?.removeEventListener("online", this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async list(slug?: string): Promise<OutboxItem[]> {
    const all = await (await this.store()).all();
    return all.filter((i) => !slug || i.slug === slug).sort((a, b) => a.createdAt - b.createdAt);
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    return (await this.store()).get(id);
  }

  async remove(id: string): Promise<void> {
    await (await this.store()).delete(id);
  }

  /** Write the submission to the outbox (durably), then try to send it right away. */
  async submit(slug: string, id: string, answers: Answers): Promise<SendOutcome> {
    const existing = await this.get(id);
    const item: OutboxItem = {
      id,
      slug,
      answers,
      files: filesOf(answers, existing?.files),
      createdAt: existing?.createdAt ?? this.now(),
      status: "pending",
      attempts: 0,
      nextAttemptAt: this.now(),
    };
    await (await this.store()).put(item);
    this.emit({ type: "queued", item });
    return this.send(id);
  }

  /** Send every pending item (all, or only those whose backoff elapsed). */
  async flush(force = false): Promise<void> {
    const items = await this.list();
    const due = items.filter((i) => i.status === "pending" && (force || i.nextAttemptAt <= this.now()));
    for (const item of due) await this.send(item.id);
    await this.schedule();
  }

  /** Send one item; concurrent calls for the same id share one request. */
  send(id: string): Promise<SendOutcome> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const promise = this.sendNow(id).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, promise);
    return promise;
  }

  private async sendNow(id: string): Promise<SendOutcome> {
    const store = await this.store();
    const item = await store.get(id);
    if (item?.status !== "pending") return { status: "busy", id };
    this.emit({ type: "sending", item });
    for (const file of item.files ?? []) {
      if (file.sent) continue;
      const outcome = await sendFile(this.fetchImpl, this.baseUrl, item.slug, file);
      if (!outcome.ok && outcome.retry) return this.retryLater(store, item, outcome.reason, outcome.wait);
      if (!outcome.ok) {
        return this.fail(store, item, {
          status: outcome.status,
          code: outcome.code,
          message: outcome.message,
        });
      }
      file.sent = true;
      await store.put(item);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(
        `${this.baseUrl}/public/forms/${encodeURIComponent(item.slug)}/submissions`,
        {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ id: item.id, answers: item.answers }),
        },
      );
    } catch (err) {
      return this.retryLater(store, item, err instanceof Error ? err.message : "network error");
    }
    if (res.status >= 200 && res.status < 300) {
      let body: { receivedAt?: string } = {};
      try {
        body = (await res.json()) as { receivedAt?: string };
      } catch {
        // A 2xx is what counts; the body is informative only.
      }
      await store.delete(item.id);
      for (const file of item.files ?? []) forgetFile(file.uploadId);
      const duplicate = res.status === 200;
      this.emit({ type: "sent", item, duplicate, receivedAt: body.receivedAt });
      await this.schedule();
      return { status: "sent", id, duplicate, receivedAt: body.receivedAt };
    }
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get("retry-after"));
      const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      return this.retryLater(store, item, `HTTP ${res.status}`, wait);
    }
    let problem: { code?: string; detail?: string; title?: string; errors?: ServerIssue[] } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      // Not problem+json; the status is enough.
    }
    return this.fail(store, item, {
      status: res.status,
      code: problem.code,
      message: problem.detail ?? problem.title,
      errors: Array.isArray(problem.errors) ? problem.errors : undefined,
    });
  }

  private async fail(
    store: KeyValueStore<OutboxItem>,
    item: OutboxItem,
    failure: NonNullable<OutboxItem["failure"]>,
  ): Promise<SendOutcome> {
    const failed: OutboxItem = { ...item, status: "failed", attempts: item.attempts + 1, failure };
    await store.put(failed);
    this.emit({ type: "failed", item: failed });
    return { status: "failed", id: item.id, failure };
  }

  private async retryLater(
    store: KeyValueStore<OutboxItem>,
    item: OutboxItem,
    reason: string,
    wait?: number,
  ): Promise<SendOutcome> {
    const attempts = item.attempts + 1;
    const retryAt = this.now() + (wait ?? this.backoff(attempts));
    const next: OutboxItem = { ...item, attempts, nextAttemptAt: retryAt, lastError: reason };
    await store.put(next);
    this.emit({ type: "retry", item: next, reason });
    await this.schedule();
    return { status: "queued", id: item.id, reason, retryAt };
  }

  private async schedule(): Promise<void> {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = (await this.list()).filter((i) => i.status === "pending");
    if (!pending.length) return;
    const at = Math.min(...pending.map((i) => i.nextAttemptAt));
    this.timer = setTimeout(() => void this.flush(false), Math.max(1_000, at - this.now()));
  }
}

/**
 * The bytes of every file answer, from the device (or from the earlier outbox record when this is a
 * resubmission). A file whose bytes are gone (the page was reloaded before submitting) is left out:
 * the server then answers `unknown_upload` and the respondent is asked to attach it again.
 */
function filesOf(answers: Answers, earlier: OutboxFile[] = []): OutboxFile[] {
  const files: OutboxFile[] = [];
  for (const value of Object.values(answers)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as { uploadId?: unknown; name?: unknown; type?: unknown }[]) {
      if (typeof item?.uploadId !== "string") continue;
      const before = earlier.find((f) => f.uploadId === item.uploadId);
      const blob = deviceFile(item.uploadId) ?? before?.blob;
      if (!blob) continue;
      files.push({
        uploadId: item.uploadId,
        name: typeof item.name === "string" ? item.name : "file",
        type: typeof item.type === "string" ? item.type : blob.type,
        blob,
        sent: before?.sent ?? false,
      });
    }
  }
  return files;
}
