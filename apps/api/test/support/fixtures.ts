import type { FormDefinition } from "@coleta/forms";
import type { TestClient } from "./client";

/** A small form touching the interesting paths: rules, a condition, choices, a geopoint. */
export const surveyDefinition: FormDefinition = {
  schemaVersion: 1,
  title: "Field survey",
  pages: [
    {
      id: "p1",
      fields: [
        { id: "name", type: "short_text", label: "Name", required: true, maxLength: 40 },
        { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
        {
          id: "fruit",
          type: "single_choice",
          label: "Fruit",
          options: [
            { value: "apple", label: "Apple" },
            { value: "pear", label: "Pear" },
          ],
        },
        { id: "has_pet", type: "yes_no", label: "Has a pet?" },
        {
          id: "pet_name",
          type: "short_text",
          label: "Pet name",
          required: true,
          visibleWhen: { field: "has_pet", op: "equals", value: true },
        },
        { id: "where", type: "geopoint", label: "Where" },
      ],
    },
  ],
};

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
