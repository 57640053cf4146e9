/** Recommended labels; `app.kubernetes.io/name` is what Services, policies and PDBs select on. */
export function appLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "coleta",
  };
}

export function selectorOf(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}
