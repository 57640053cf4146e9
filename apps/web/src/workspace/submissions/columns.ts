import { useState } from "react";

/** The column id of the "received" date (field ids cannot start with "_"). */
export const RECEIVED = "__received";

export function columnsKey(formId: string): string {
  return `coleta.columns.${formId}`;
}

/** Hidden column ids are stored (not visible ones) so fields added later show up by default. */
export function loadHiddenColumns(formId: string): Set<string> {
  try {
    const raw = localStorage.getItem(columnsKey(formId));
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

export function saveHiddenColumns(formId: string, hidden: Set<string>): void {
  try {
    localStorage.setItem(columnsKey(formId), JSON.stringify([...hidden]));
  } catch {
    // Not persisting is acceptable.
  }
}

/** The columns this browser hides for a form, remembered between visits. */
export function useHiddenColumns(formId: string) {
  const [hidden, setHidden] = useState<Set<string>>(() => loadHiddenColumns(formId));
  const toggle = (id: string, visible: boolean) => {
    const next = new Set(hidden);
    if (visible) next.delete(id);
    else next.add(id);
    setHidden(next);
    saveHiddenColumns(formId, next);
  };
  return { hidden, toggle };
}
