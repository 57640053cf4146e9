import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { firstOrgId, publishedForm } from "./support/fixtures";
import { startApi, type TestDatabase } from "./support/stack";

// The laptop default: embedded Postgres (PGlite + PostGIS) in a folder, no server to install.
const dir = mkdtempSync(join(tmpdir(), "coleta-embedded-"));
const embedded: TestDatabase = {
  env: { DATA_DIR: dir, DATABASE_URL: "" },
  kind: "pglite",
  drop: async () => {},
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedded database", () => {
  it("keeps data across restarts, supports PostGIS, and refuses a second process", async () => {
    const first = await startApi(embedded);
    let email: string;
    let submissionId: string;
    try {
      expect(first.services.database.kind).toBe("pglite");
      const owner = new TestClient(first.url);
      ({ email } = await owner.signUp());
      const orgId = await firstOrgId(owner);
      const { slug } = await publishedForm(owner, orgId);
      submissionId = randomUUID();
      const sent = await owner.post(`/public/forms/${slug}/submissions`, {
        id: submissionId,
        answers: { name: "Embedded", where: { lat: -15.79, lon: -47.88 } },
      });
      expect(sent.status).toBe(201);
      await expect(startApi(embedded)).rejects.toThrow(/in use by another Coleta process/);
    } finally {
      await first.stop();
    }

    const second = await startApi(embedded);
    try {
      const owner = new TestClient(second.url);
      await owner.signIn(email);
      const orgId = await firstOrgId(owner);
      const forms = await owner.get(`/orgs/${orgId}/forms`);
      const formId = forms.body.items[0].id;
      const near = await owner.get(`/orgs/${orgId}/forms/${formId}/submissions?near=-15.8,-47.9,5000`);
      expect(near.body.items.map((s: { id: string }) => s.id)).toEqual([submissionId]);
    } finally {
      await second.stop();
    }
  }, 240_000);
});
