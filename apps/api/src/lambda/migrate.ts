import { type EnvInput, loadConfig } from "../config";
import { migrateDatabase } from "../db/migrate";
import { type SecretReader, withSecrets } from "./secrets";

/** A CloudFormation custom resource event, as the CDK Provider framework passes it on. */
interface CustomResourceEvent {
  RequestType?: "Create" | "Update" | "Delete";
  PhysicalResourceId?: string;
}

export interface MigrationResult {
  PhysicalResourceId: string;
  Data: { applied: string };
}

const RESOURCE_ID = "coleta-database-migrations";

/**
 * The one-off migration run, as its own function (the same bundle's code, the migrator's and
 * administrator's credentials, never the API's). Deployed as a custom resource, CloudFormation runs
 * it on every deploy of new code before the API function's new version takes traffic; invoked by
 * hand (`aws lambda invoke`) it does the same. Migrations take an advisory lock, so a concurrent run
 * waits instead of racing. Delete does nothing: removing the stack must not touch the data.
 */
export function createMigrationHandler(env: EnvInput, readSecret?: SecretReader) {
  return async (event: CustomResourceEvent = {}): Promise<MigrationResult> => {
    const physical = event.PhysicalResourceId ?? RESOURCE_ID;
    if (event.RequestType === "Delete") return { PhysicalResourceId: physical, Data: { applied: "none" } };
    const config = loadConfig(await withSecrets(env, readSecret));
    if (config.database.kind !== "postgres") {
      throw new Error("Invalid configuration: DATABASE_URL or DATABASE_HOST: required on Lambda");
    }
    const kind = await migrateDatabase(config.database);
    // The error (if any) propagates: CloudFormation marks the deploy failed and rolls back.
    return { PhysicalResourceId: physical, Data: { applied: kind } };
  };
}

export const handler = createMigrationHandler(process.env);
