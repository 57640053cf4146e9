import {
  COMPONENT_IDS,
  DEFAULT_THRESHOLDS,
  DEPENDENCY_SLOW_MS,
  RATE_LIMITED_RATIO_DEGRADED,
  STATUS_MIN_REQUESTS,
  SUBMISSION_THRESHOLDS,
} from "@coleta/monitoring";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../config/env";
import { classifyRequest } from "./classify";
import { statusConfig } from "./config";
import {
  type DependencyState,
  evaluate,
  type Judgement,
  overall,
  SLOW_CHECKS_FOR_DEGRADED,
} from "./evaluate";
import {
  bucketIndex,
  type Counts,
  emptyByComponent,
  emptyCounts,
  LATENCY_BUCKETS_MS,
  mergeCounts,
  quantileMs,
} from "./histogram";
import { componentMessage, formatSince, pickLocale } from "./messages";
import { DependencyProber } from "./prober";
import { addFields, fieldsOf } from "./signals";
import { mergeTimeline, type Transition } from "./timeline";

/** `n` requests of `ms` each, `errors` of them 5xx and `limited` of them 429. */
function traffic(n: number, ms: number, errors = 0, limited = 0): Counts {
  const c = emptyCounts();
  c.requests = n;
  c.errors = errors;
  c.rateLimited = limited;
  c.latency[bucketIndex(ms)] = n;
  return c;
}

const up: DependencyState = { up: true, latencyMs: 3, configured: true };
const deps = (database: DependencyState = up, cache: DependencyState = up) => ({ database, cache });

describe("latency histogram", () => {
  it("puts each duration in the first bucket whose bound is not smaller", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(5)).toBe(0);
    expect(bucketIndex(5.01)).toBe(1);
    expect(bucketIndex(500)).toBe(LATENCY_BUCKETS_MS.indexOf(500));
    expect(bucketIndex(999_999)).toBe(LATENCY_BUCKETS_MS.length);
  });

  it("has every p95 threshold of @coleta/monitoring as a bucket boundary", () => {
    for (const ms of [500, 1_000, 3_000, 5_000, 10_000, 60_000]) {
      expect(LATENCY_BUCKETS_MS as readonly number[]).toContain(ms);
    }
  });

  it("computes p95 by interpolating inside the bucket, null without data, Infinity past the last bound", () => {
    expect(quantileMs(emptyCounts().latency, 0.95)).toBeNull();
    const c = traffic(100, 80); // all in (50, 100]
    expect(quantileMs(c.latency, 0.95)).toBeCloseTo(50 + 50 * 0.95);
    expect(quantileMs(traffic(10, 120_000).latency, 0.95)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("merging buckets from two replicas", () => {
  it("adds counts and histograms, and p95 comes from the merged histogram", () => {
    const fast = traffic(90, 20); // replica A: 90 quick answers
    const slow = traffic(10, 4_000); // replica B: 10 very slow ones
    expect(quantileMs(fast.latency, 0.95)).toBeLessThanOrEqual(25);
    expect(quantileMs(slow.latency, 0.95)).toBeGreaterThan(3_000);
    const merged = mergeCounts(fast, slow);
    expect(merged.requests).toBe(100);
    // 95th of 100 lies among B's slow requests: neither replica alone shows this p95.
    const p95 = quantileMs(merged.latency, 0.95) as number;
    expect(p95).toBeGreaterThan(3_000);
    expect(p95).toBeLessThanOrEqual(5_000);
  });

  it("round-trips through the Redis hash fields, summing what both replicas wrote", () => {
    const a = emptyByComponent();
    a.submissions = traffic(30, 40, 1, 5);
    const b = emptyByComponent();
    b.submissions = traffic(20, 700, 2, 0);
    b.exports = traffic(3, 9_000);
    // What HINCRBY leaves in one bucket hash after both replicas flushed (plus their heartbeats).
    const hash: Record<string, string> = { "@replica-a": "1", "@replica-b": "1" };
    for (const [field, value] of [...fieldsOf(a), ...fieldsOf(b)]) {
      hash[field] = String(Number(hash[field] ?? 0) + value);
    }
    const total = emptyByComponent();
    const replicas = addFields(total, hash);
    expect(replicas.sort()).toEqual(["replica-a", "replica-b"]);
    expect(total.submissions).toMatchObject({ requests: 50, errors: 3, rateLimited: 5 });
    expect(total.submissions.latency).toEqual(mergeCounts(a.submissions, b.submissions).latency);
    expect(total.exports.requests).toBe(3);
    expect(total.public_forms.requests).toBe(0);
  });
});

describe("thresholds → levels", () => {
  const judge = (id: "public_forms" | "submissions" | "workspace" | "exports", c: Counts) => {
    const counts = emptyByComponent();
    counts[id] = c;
    return evaluate({ counts, dependencies: deps() })[id];
  };

  it("errors: at the degraded ratio amber, at the down ratio red", () => {
    const n = 200;
    expect(judge("workspace", traffic(n, 20, 0)).level).toBe("ok");
    expect(judge("workspace", traffic(n, 20, n * DEFAULT_THRESHOLDS.degraded.errorRatio))).toMatchObject({
      level: "degraded",
      reason: "errors",
    });
    expect(judge("workspace", traffic(n, 20, n * DEFAULT_THRESHOLDS.down.errorRatio))).toMatchObject({
      level: "down",
      reason: "errors",
    });
    // Submissions are stricter.
    expect(judge("submissions", traffic(n, 20, n * SUBMISSION_THRESHOLDS.degraded.errorRatio)).level).toBe(
      "degraded",
    );
  });

  it("latency: p95 over the degraded bound amber, over the down bound red", () => {
    expect(judge("public_forms", traffic(50, 900)).level).toBe("ok");
    expect(judge("public_forms", traffic(50, 1_500))).toMatchObject({ level: "degraded", reason: "latency" });
    expect(judge("public_forms", traffic(50, 8_000))).toMatchObject({ level: "down", reason: "latency" });
    expect(judge("submissions", traffic(50, 700)).level).toBe("degraded"); // 500 ms for submissions
    expect(judge("exports", traffic(50, 8_000)).level).toBe("ok"); // exports may take 10 s
  });

  it("4xx are not errors; a high share of 429 on submissions is amber with its own reason", () => {
    const limited = Math.ceil(100 * RATE_LIMITED_RATIO_DEGRADED);
    expect(judge("submissions", traffic(100, 20, 0, limited - 1)).level).toBe("ok");
    expect(judge("submissions", traffic(100, 20, 0, limited))).toMatchObject({
      level: "degraded",
      reason: "rate_limited",
    });
    expect(judge("workspace", traffic(100, 20, 0, 90)).level).toBe("ok"); // only submissions care
  });

  it("below STATUS_MIN_REQUESTS, HTTP components are judged by dependencies only", () => {
    const few = STATUS_MIN_REQUESTS - 1;
    expect(judge("submissions", traffic(few, 9_000, few)).level).toBe("ok");
    expect(judge("submissions", traffic(STATUS_MIN_REQUESTS, 20, STATUS_MIN_REQUESTS)).level).toBe("down");
  });

  it("dependencies: failed check = down, slower than DEPENDENCY_SLOW_MS twice in a row = degraded, memory cache = ok", () => {
    const slow = { up: true, latencyMs: DEPENDENCY_SLOW_MS + 1, configured: true };
    const result = evaluate({
      counts: emptyByComponent(),
      dependencies: deps(
        { ...slow, slowInARow: SLOW_CHECKS_FOR_DEGRADED },
        { up: false, latencyMs: null, configured: true },
      ),
    });
    expect(result.database).toMatchObject({ level: "degraded", reason: "check_slow" });
    expect(result.cache).toMatchObject({ level: "down", reason: "check_failed" });
    // One slow check (a fresh connection at start) is not enough.
    expect(
      evaluate({ counts: emptyByComponent(), dependencies: deps({ ...slow, slowInARow: 1 }) }).database.level,
    ).toBe("ok");
    const memory = evaluate({
      counts: emptyByComponent(),
      dependencies: deps(up, { up: true, latencyMs: 0, configured: false }),
    });
    expect(memory.cache.level).toBe("ok");
  });
});

describe("dependency-down propagation", () => {
  it("database down → forms, submissions, workspace and exports are down too, caused by the database", () => {
    const counts = emptyByComponent();
    counts.public_forms = traffic(100, 10); // even with perfect recent traffic
    const result = evaluate({ counts, dependencies: deps({ up: false, latencyMs: null, configured: true }) });
    for (const id of ["public_forms", "submissions", "workspace", "exports"] as const) {
      expect(result[id]).toMatchObject({ level: "down", reason: "dependency", cause: "database" });
    }
    expect(result.cache.level).toBe("ok");
    expect(overall(Object.values(result).map((j) => j.level))).toBe("down");
    expect(Object.keys(result)).toEqual([...COMPONENT_IDS]);
  });

  it("cache down → only the cache is red; the rest keeps its own signals", () => {
    const result = evaluate({
      counts: emptyByComponent(),
      dependencies: deps(up, { up: false, latencyMs: null, configured: true }),
    });
    expect(result.cache.level).toBe("down");
    for (const id of ["public_forms", "submissions", "workspace", "exports", "database"] as const) {
      expect(result[id].level).toBe("ok");
    }
  });
});

describe("plain-language messages", () => {
  const config = statusConfig(
    parseEnv({
      TEAM_BACKEND_CONTACT: "backend-oncall@example.org · +55 11 5555-0100",
      TEAM_PLATFORM_CONTACT: "+55 11 5555-0199",
      TEAM_FRONTEND_NAME: "Squad Web",
    }),
  );
  // 17:05 UTC = 14:05 in São Paulo.
  const since = Date.parse("2026-03-02T17:05:00Z");
  const now = Date.parse("2026-03-02T17:30:00Z");
  const down: Judgement = { level: "down", reason: "errors", cause: null, signals: {} };
  const message = (id: (typeof COMPONENT_IDS)[number], judgement: Judgement, locale: "en" | "pt-BR") =>
    componentMessage({ id, judgement, since, now, locale, timeZone: config.timeZone, teams: config.teams });

  it("says what people experience, since when (board time zone) and whom to call, in English", () => {
    expect(message("submissions", down, "en")).toBe(
      "Respondents cannot send answers since 14:05 — call the backend team: backend-oncall@example.org · +55 11 5555-0100",
    );
  });

  it("and in Portuguese", () => {
    expect(message("submissions", down, "pt-BR")).toBe(
      "Os respondentes não conseguem enviar respostas desde 14:05 — acione o time de backend: backend-oncall@example.org · +55 11 5555-0100",
    );
  });

  it("names the dependency and calls its team when a dependency is the cause", () => {
    const caused: Judgement = { level: "down", reason: "dependency", cause: "database", signals: {} };
    expect(message("public_forms", caused, "en")).toBe(
      "People cannot open forms (the database does not answer) since 14:05 — call the platform team: +55 11 5555-0199",
    );
    expect(message("public_forms", caused, "pt-BR")).toBe(
      "As pessoas não conseguem abrir os formulários (o banco de dados não responde) desde 14:05 — acione o time de plataforma: +55 11 5555-0199",
    );
  });

  it("explains rate limiting, uses configured team names as written, and is short when ok", () => {
    const limited: Judgement = { level: "degraded", reason: "rate_limited", cause: null, signals: {} };
    expect(message("submissions", limited, "en")).toMatch(
      /^Many answers are being refused by the sending limits/,
    );
    expect(message("submissions", limited, "pt-BR")).toMatch(/^Muitas respostas estão sendo recusadas/);
    const ok: Judgement = { level: "ok", reason: null, cause: null, signals: {} };
    expect(message("cache", ok, "pt-BR")).toBe("O cache responde.");
    expect(config.teams.frontend.name.en).toBe("Squad Web");
    // No contact configured: no dangling colon.
    const bare = statusConfig(parseEnv({}));
    expect(
      componentMessage({
        id: "cache",
        judgement: down,
        since,
        now,
        locale: "en",
        timeZone: "UTC",
        teams: bare.teams,
      }),
    ).toBe(
      "The cache is unreachable; the site still works, slower and with local limits since 17:05 — call the platform team",
    );
  });

  it("adds the day when the status began on another day", () => {
    const yesterday = Date.parse("2026-03-01T23:50:00Z"); // 20:50 on 1 March in São Paulo
    expect(formatSince(yesterday, now, "en", "America/Sao_Paulo")).toBe("Mar 1, 20:50");
    expect(formatSince(yesterday, now, "pt-BR", "America/Sao_Paulo")).toMatch(/^1 de mar\.?, 20:50$/);
  });
});

describe("requests → components", () => {
  const c = (method: string, route: string) => classifyRequest("/backend", method, route);
  it("classifies by route pattern", () => {
    expect(c("GET", "/backend/public/forms/:slug")).toBe("public_forms");
    expect(c("POST", "/backend/public/forms/:slug/submissions")).toBe("submissions");
    expect(c("GET", "/backend/orgs/:orgId/forms/:formId/submissions/export")).toBe("exports");
    expect(c("GET", "/backend/orgs/:orgId/forms/:formId/submissions")).toBe("workspace");
    for (const route of [
      "/backend/me",
      "/backend/auth/*",
      "/backend/setup",
      "/backend/invitations/:token/accept",
      "/backend/orgs",
    ]) {
      expect(c("GET", route), route).toBe("workspace");
    }
    for (const route of [
      "/backend/health/ready",
      "/backend/metrics",
      "/backend/status",
      "unmatched",
      "/frontend/*",
      "/backend/meh",
    ]) {
      expect(c("GET", route), route).toBeNull();
    }
  });
});

describe("language", () => {
  it("takes ?lang, then Accept-Language by weight, then English", () => {
    expect(pickLocale("pt-BR", "en")).toBe("pt-BR");
    expect(pickLocale("fr", "fr-FR,pt;q=0.8,en;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "fr-FR,pt-PT;q=0.9,en;q=0.5")).toBe("pt-BR");
    expect(pickLocale(undefined, "de")).toBe("en");
    expect(pickLocale(undefined, undefined)).toBe("en");
  });
});

describe("timeline", () => {
  it("keeps 24 hours, newest first, one entry for the same change seen by two replicas", () => {
    const now = Date.parse("2026-03-02T17:30:00Z");
    const t = (component: Transition["component"], to: Transition["to"], minutesAgo: number): Transition => ({
      component,
      from: to === "ok" ? "down" : "ok",
      to,
      at: now - minutesAgo * 60_000,
    });
    const merged = mergeTimeline(
      [
        t("cache", "down", 10),
        { ...t("cache", "down", 10), at: now - 10 * 60_000 + 8_000 }, // replica B, 8 s later
        t("cache", "ok", 5),
        t("database", "down", 25 * 60), // older than a day
      ],
      now,
    );
    expect(merged.map((e) => `${e.component}:${e.to}`)).toEqual(["cache:ok", "cache:down"]);
  });
});

describe("dependency prober", () => {
  it("times out a hanging check, does not pile up pings, and counts slow checks in a row", async () => {
    let calls = 0;
    let delay = 0;
    const hang = new Promise<void>(() => {});
    const results: boolean[] = [];
    const prober = new DependencyProber(
      {
        database: () => {
          calls++;
          return delay < 0 ? hang : new Promise<void>((r) => setTimeout(r, delay));
        },
        cache: null,
      },
      (r) => {
        if (r.dependency === "database") results.push(r.ok);
      },
      100,
    );
    await prober.probeAll();
    expect(prober.state.database).toMatchObject({ up: true, slowInARow: 0 });
    expect(prober.state.cache).toMatchObject({ up: true, configured: false });
    delay = -1; // hangs forever
    await prober.probeAll();
    await prober.probeAll(); // still hanging: failed again without a second ping
    expect(calls).toBe(2);
    expect(results).toEqual([true, false, false]);
    expect(prober.state.database.up).toBe(false);

    const slow = new DependencyProber(
      { database: () => new Promise<void>((r) => setTimeout(r, DEPENDENCY_SLOW_MS + 50)), cache: null },
      () => {},
      5_000,
    );
    await slow.probeAll();
    expect(evaluate({ counts: emptyByComponent(), dependencies: slow.state }).database.level).toBe("ok");
    await slow.probeAll();
    expect(slow.state.database.slowInARow).toBe(2);
    expect(evaluate({ counts: emptyByComponent(), dependencies: slow.state }).database.level).toBe(
      "degraded",
    );
  });
});
