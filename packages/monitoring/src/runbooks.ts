import { COMPONENTS } from "./components";

/** Where runbooks live in the repository, and how they are linked from alerts and the board. */
export const RUNBOOK_DIR = "docs/runbooks";
/** Default base for links when a deployment sets none: the repository's docs on GitHub. */
export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/coleta-org/coleta/blob/main/docs/runbooks";

export function runbookPath(id: string): string {
  return `${RUNBOOK_DIR}/${id}.md`;
}

export function runbookUrl(id: string, baseUrl: string = DEFAULT_RUNBOOK_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, "")}/${id}.md`;
}

/** Runbook ids of the status board's components (alarms and rules add their own). */
export const COMPONENT_RUNBOOKS: readonly string[] = Object.values(COMPONENTS).map((c) => c.runbook);
