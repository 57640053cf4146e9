import { randomUUID } from "node:crypto";
import type { FormDefinition } from "@coleta/forms";
import { surveyDefinition } from "@coleta/forms/testing";
import type { TestClient } from "./client";

// The API tests' sample form lives with the other samples in @coleta/forms/testing.
export { surveyAnswers, surveyDefinition } from "@coleta/forms/testing";

export async function firstOrgId(client: TestClient): Promise<string> {
  const me = await client.get<{ organizations: { id: string }[] }>("/me");
  const id = me.body.organizations[0]?.id;
  if (!id) throw new Error(`no organization: ${me.text}`);
  return id;
}

/** Creates and publishes a form; returns its ids and slug. */
export async function publishedForm(
  client: TestClient,
  orgId: string,
  definition: FormDefinition = surveyDefinition,
) {
  const created = await client.post<{ id: string; slug: string }>(`/orgs/${orgId}/forms`, {
    title: definition.title,
    definition,
  });
  if (created.status !== 201) throw new Error(`create form failed: ${created.text}`);
  const published = await client.post(`/orgs/${orgId}/forms/${created.body.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${published.text}`);
  return { formId: created.body.id, slug: created.body.slug };
}

type Query = (text: string, params?: unknown[]) => Promise<unknown>;

/**
 * Stores `answers` as one submission straight in the database, unchecked: what older form versions
 * or other writers may have left, which the API itself would refuse. Returns the submission's id.
 */
export async function insertSubmission(
  query: Query,
  formId: string,
  answers: unknown,
  { id = randomUUID(), version = 1 }: { id?: string; version?: number } = {},
): Promise<string> {
  await query("INSERT INTO submission (id, form_id, form_version, answers) VALUES ($1, $2, $3, $4::jsonb)", [
    id,
    formId,
    version,
    JSON.stringify(answers),
  ]);
  return id;
}

/** A problem's per-field errors as `{ path: code }`. */
export function errorsByPath(problem: { errors: { path: string; code: string }[] }): Record<string, string> {
  return Object.fromEntries(problem.errors.map((e) => [e.path, e.code]));
}
