// The API pods' init container: waits until the migration Job of the same image has completed.
// Kubernetes has no "run this Job before that Deployment" (Helm hooks are not used here), so the
// ordering lives in the pods: a new version's pods stay in Init, and so take no traffic, until
// `job/<MIGRATION_JOB>` reports success; if the Job fails, the init container fails and the rollout
// stops with the old pods still serving (maxUnavailable 0). Runs with the API image's own Node (no
// kubectl image): a read of one Job through the API server with the pod's projected token.

/** Where the projected service-account token and CA are mounted in the init container only. */
export const KUBE_API_CREDENTIALS_DIR = "/var/run/secrets/coleta/kube-api";

/**
 * The script for `node -e`. Env: JOB_NAME, NAMESPACE; KUBE_API_URL overrides the in-cluster API
 * address (tests); NODE_EXTRA_CA_CERTS points Node's fetch at the cluster CA.
 */
export const MIGRATION_WAIT_SCRIPT = `
const { readFileSync } = require("node:fs");
const dir = process.env.KUBE_API_CREDENTIALS_DIR || ${JSON.stringify(KUBE_API_CREDENTIALS_DIR)};
const api = process.env.KUBE_API_URL || "https://" + process.env.KUBERNETES_SERVICE_HOST + ":" + process.env.KUBERNETES_SERVICE_PORT;
const url = api + "/apis/batch/v1/namespaces/" + process.env.NAMESPACE + "/jobs/" + process.env.JOB_NAME;
const intervalMs = Number(process.env.POLL_INTERVAL_MS || 2000);
async function poll() {
  for (;;) {
    try {
      const token = readFileSync(dir + "/token", "utf8").trim();
      const response = await fetch(url, { headers: { authorization: "Bearer " + token } });
      if (response.ok) {
        const job = await response.json();
        const conditions = (job.status && job.status.conditions) || [];
        if (conditions.some((c) => c.type === "Complete" && c.status === "True")) {
          console.log("migration job " + process.env.JOB_NAME + " complete");
          return 0;
        }
        if (conditions.some((c) => c.type === "Failed" && c.status === "True")) {
          console.error("migration job " + process.env.JOB_NAME + " failed: see kubectl logs job/" + process.env.JOB_NAME);
          return 1;
        }
        console.log("waiting for migration job " + process.env.JOB_NAME);
      } else {
        console.log("waiting for migration job " + process.env.JOB_NAME + " (HTTP " + response.status + ")");
      }
    } catch (error) {
      console.log("waiting for the API server: " + error.message);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
poll().then((code) => process.exit(code));
`.trim();

/** One Job per API image: a new digest is a new Job, so every release migrates exactly once. */
export function migrationJobName(apiImage: string): string {
  const digest = /@sha256:([0-9a-f]{64})$/.exec(apiImage)?.[1];
  if (!digest) throw new Error(`API image ${apiImage} is not pinned by digest`);
  return `coleta-migrate-${digest.slice(0, 12)}`;
}
