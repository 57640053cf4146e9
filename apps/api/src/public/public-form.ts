import type { PublishedForm, PublishedFormCache } from "../forms/published-cache";

/**
 * What a respondent gets of a published form: the body of GET /public/forms/{slug}, and the copy the
 * fill page is served with (http/fill-page.ts).
 */
export function publicFormBody(form: PublishedForm) {
  return {
    slug: form.slug,
    title: form.definition.title,
    version: form.version,
    definition: form.definition,
  };
}

export type PublicFormBody = ReturnType<typeof publicFormBody>;

/** The public body of a form that takes responses; null when it is unknown, unpublished or closed. */
export async function openPublicForm(
  published: PublishedFormCache,
  slug: string,
): Promise<PublicFormBody | null> {
  const form = await published.get(slug);
  return form && form.status !== "closed" ? publicFormBody(form) : null;
}
