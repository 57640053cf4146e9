import type { TestProject } from "vitest/node";
import { prepareTemplateDatabase } from "./support/postgres";

// With a real Postgres (TEST_DATABASE_URL or DATABASE_URL), migrate one template database once;
// each test file then clones it in milliseconds. Without one, tests fall back to embedded PGlite.
export default async function setup(project: TestProject) {
  const template = await prepareTemplateDatabase();
  project.provide("pgTemplate", template ? { adminUrl: template.adminUrl, name: template.name } : null);
  return async () => {
    await template?.drop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: { adminUrl: string; name: string } | null;
  }
}
