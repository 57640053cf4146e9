import { AppError } from "../errors/app-error";
import type { PublishedForm, PublishedFormCache } from "../forms/published-cache";
import { routeGroup } from "../http/route";

// What every respondent route starts with: the form's slug from the path, and the published form
// it names, refused when it is unknown, unpublished (404) or closed (410).

/** The builder of respondent routes (`/public/forms/{slug}/…`): no sign-in, and the refusals above. */
export const respondentRoute = routeGroup({ tag: "Public", problems: [404, 410] });

/** The published form a respondent asked for, if it takes responses. */
export async function openPublishedForm(published: PublishedFormCache, slug: string): Promise<PublishedForm> {
  const form = await published.get(slug);
  if (!form) throw AppError.notFound("This form does not exist or is not published.");
  if (form.status === "closed") {
    throw new AppError(410, "form_closed", "This form is closed and no longer accepts responses.");
  }
  return form;
}
