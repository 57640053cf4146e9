import { useState } from "react";
import { api, type Form, formPath, type Organization, type Submission, type SubmissionPage } from "../api";
import { useLoad } from "../hooks/useLoad";
import { apiQuery, type SubmissionFilters } from "./filters";

const PAGE_SIZE = 50;

/**
 * The submissions list, page by page: the first page loads (again) whenever the filters change,
 * `loadMore` appends the next one after the cursor.
 */
export function useSubmissionPages(org: Organization, form: Form, filters: SubmissionFilters) {
  const fetchPage = (after: string | null, signal?: AbortSignal) => {
    const extra: Record<string, string> = { limit: String(PAGE_SIZE) };
    if (after) extra.cursor = after;
    return api<SubmissionPage>(`${formPath(org.id, form.id)}/submissions${apiQuery(filters, extra)}`, {
      ...(signal ? { signal } : {}),
    });
  };
  // Keyed by the query it sends: equal filters in a new object (a re-render) do not reload.
  const first = useLoad((signal) => fetchPage(null, signal), [org.id, form.id, apiQuery(filters)]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  const loadMore = async (): Promise<number> => {
    const cursor = first.data?.nextCursor;
    if (!cursor || !first.data) return 0;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(cursor);
      first.setData({ items: [...first.data.items, ...page.items], nextCursor: page.nextCursor });
      return page.items.length;
    } catch (err) {
      setMoreError(err);
      return 0;
    } finally {
      setLoadingMore(false);
    }
  };

  /** Drops one submission from the list (after it was deleted). */
  const remove = (id: string) => {
    if (first.data)
      first.setData({ ...first.data, items: first.data.items.filter((s: Submission) => s.id !== id) });
  };

  return {
    items: first.loading ? null : (first.data?.items ?? null),
    cursor: first.data?.nextCursor ?? null,
    error: first.error ?? moreError,
    reload: first.reload,
    loadMore,
    loadingMore,
    remove,
  };
}
