import { describe, expect, it } from "vitest";
import { ApiError, api } from "./api";
import { errorMessage, problemMessage } from "./errors";
import { makeI18n } from "./i18n";

const { t } = makeI18n("en");
const pt = makeI18n("pt-BR").t;

describe("problem+json → human message", () => {
  it("translates known codes", () => {
    expect(problemMessage({ status: 403, code: "forbidden", detail: "Requires editor" }, t)).toBe(
      "Your role does not allow this. Ask an admin of the organization.",
    );
    expect(problemMessage({ status: 410, code: "form_closed" }, pt)).toBe("Este formulário está encerrado.");
  });

  it("maps Better-Auth codes", () => {
    expect(problemMessage({ status: 401, code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid" }, t)).toBe(
      "Wrong e-mail or password.",
    );
  });

  it("falls back to detail for unknown codes, then to the status", () => {
    expect(problemMessage({ status: 400, code: "weird_thing", detail: "The weird thing happened" }, t)).toBe(
      "The weird thing happened",
    );
    expect(problemMessage({ status: 403 }, t)).toBe(t("error.forbidden"));
    expect(problemMessage({ status: 429 }, t)).toBe(t("error.rate_limited"));
    expect(problemMessage({ status: 500, requestId: "req-1" }, t)).toBe(
      "Something went wrong. Please try again. (reference req-1)",
    );
  });

  it("never shows raw JSON for thrown API errors", async () => {
    const original = globalThis.fetch;
    globalThis.fetch = async () =>
      new Response(
        JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, code: "forbidden" }),
        {
          status: 403,
          headers: { "content-type": "application/problem+json" },
        },
      );
    try {
      const error = await api("/orgs/x/forms").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(403);
      const message = errorMessage(error, t);
      expect(message).toBe(t("error.forbidden"));
      expect(message).not.toContain("{");
    } finally {
      globalThis.fetch = original;
    }
  });

  it("handles non-JSON error bodies and network failures", async () => {
    const original = globalThis.fetch;
    try {
      globalThis.fetch = async () => new Response("<html>Bad gateway</html>", { status: 502 });
      expect(errorMessage(await api("/x").catch((e: unknown) => e), t)).toBe(t("error.unexpected"));
      globalThis.fetch = async () => {
        throw new TypeError("Failed to fetch");
      };
      expect(errorMessage(await api("/x").catch((e: unknown) => e), t)).toBe(t("error.network_error"));
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe("first-owner setup code", () => {
  it("explains a wrong setup code in the user's language", () => {
    expect(
      problemMessage({ status: 403, code: "setup_code_invalid", detail: "Enter the setup code" }, t),
    ).toBe("Wrong setup code. Copy it from the console where Coleta was started.");
    expect(problemMessage({ status: 403, code: "setup_code_invalid" }, pt)).toContain(
      "Código de configuração",
    );
  });

  it("names the first organization in the user's language", () => {
    expect(t("auth.firstOrgName", { name: "Ana" })).toBe("Ana’s organization");
    expect(pt("auth.firstOrgName", { name: "Ana" })).toBe("Organização de Ana");
  });
});
