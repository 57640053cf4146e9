import { describe, expect, it } from "vitest";
import { makeT } from "./messages";

describe("counted messages", () => {
  it("take the plural form of the language (Intl.PluralRules) and format the number", () => {
    const en = makeT("en");
    const pt = makeT("pt-BR");
    expect(en.count("errors.summary", 1)).toBe("Please fix 1 answer on this page.");
    expect(en.count("errors.summary", 3)).toBe("Please fix 3 answers on this page.");
    expect(pt.count("errors.summary", 1)).toBe("Corrija 1 resposta nesta página.");
    expect(pt.count("errors.summary", 3)).toBe("Corrija 3 respostas nesta página.");
    expect(en.count("state.pendingCount", 1)).toBe("1 response waiting to be sent from this device.");
    expect(pt.count("state.pendingCount", 1200)).toBe("1.200 respostas aguardando envio neste aparelho.");
    expect(en.count("file.count", 2)).toBe("2 files chosen");
    expect(pt.count("file.count", 1)).toBe("1 arquivo escolhido");
  });
});
