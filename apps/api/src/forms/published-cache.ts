import type { FormDefinition } from "@coleta/forms";
import type { FormStatus } from "../db/schema";
import type { Database } from "../db/types";
import { selectPublishedBySlug } from "./queries";

export interface PublishedForm {
  formId: string;
  slug: string;
  status: FormStatus;
  version: number;
  definition: FormDefinition;
  /** Field id of the first geopoint, whose answer also fills the PostGIS column. */
  geopointFieldId: string | null;
}

const TTL_MS = 3_000;

/**
 * The published version by slug, read on every submission. A short in-process cache keeps the hot
 * path off the database; changes made through this process drop the entry at once, and other
 * replicas see them within the TTL.
 */
export class PublishedFormCache {
  private entries = new Map<string, { value: PublishedForm | null; expiresAt: number }>();

  constructor(private readonly database: Database) {}

  async get(slug: string): Promise<PublishedForm | null> {
    const hit = this.entries.get(slug);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const value = await this.load(slug);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(slug, { value, expiresAt: Date.now() + TTL_MS });
    return value;
  }

  forget(slug: string): void {
    this.entries.delete(slug);
  }

  private async load(slug: string): Promise<PublishedForm | null> {
    const row = await selectPublishedBySlug(this.database.db, slug);
    if (!row) return null;
    const geopoint = row.definition.pages.flatMap((p) => p.fields).find((f) => f.type === "geopoint");
    return { ...row, geopointFieldId: geopoint?.id ?? null };
  }
}
