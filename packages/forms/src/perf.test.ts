import { expect, it } from "vitest";
import { createField } from "./defaults";
import { form } from "./test-helpers";
import type { Field } from "./types";
import { validateSubmission } from "./validate";

// A sanity check that prints the rate; no assertion on time, as CI machines vary.
it("validates a 20-field submission many times", () => {
  const fields: Field[] = [
    { id: "name", type: "short_text", label: "Name", required: true, pattern: "[A-Za-z ]+" },
    { id: "bio", type: "long_text", label: "Bio" },
    { id: "age", type: "number", label: "Age", min: 0, max: 130, integer: true },
    createField("email", "email"),
    createField("phone", "phone"),
    createField("url", "site"),
    createField("single_choice", "color"),
    { ...createField("multiple_choice", "tags"), maxSelected: 2 },
    createField("dropdown", "state"),
    createField("date", "born"),
    createField("time", "wake"),
    createField("rating", "score"),
    createField("yes_no", "has_pet"),
    {
      ...createField("short_text", "pet_name"),
      visibleWhen: { field: "has_pet", op: "equals", value: true },
    },
    { ...createField("consent", "ok"), required: true },
    createField("geopoint", "where"),
    createField("file", "photo"),
    createField("short_text", "city"),
    createField("number", "kids"),
    { ...createField("long_text", "notes"), visibleWhen: { field: "score", op: "lte", value: 2 } },
  ];
  const definition = form(...fields);
  const answers = {
    name: "Maria Silva",
    bio: "Farmer and teacher.",
    age: 41,
    email: "maria@example.org",
    phone: "+55 11 98765-4321",
    site: "https://example.org",
    color: "option_1",
    tags: ["option_1", "option_2"],
    state: "option_2",
    born: "1983-04-05",
    wake: "06:30",
    score: 4,
    has_pet: true,
    pet_name: "Rex",
    ok: true,
    where: { lat: -23.5, lon: -46.6, accuracy: 8 },
    photo: [{ uploadId: "0b6c3c52-6f0e-4c47-9d1a-6f0e4c479d1a" }],
    city: "São Paulo",
    kids: 2,
  };
  expect(validateSubmission(definition, answers).ok).toBe(true);
  const runs = 10_000;
  const start = performance.now();
  for (let i = 0; i < runs; i++) validateSubmission(definition, answers);
  const ms = performance.now() - start;
  console.log(
    `validateSubmission: ${Math.round((runs / ms) * 1000).toLocaleString("en")} submissions/s (20 fields)`,
  );
});
