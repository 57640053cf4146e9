import { loadConfig } from "./config";
import { migrateDatabase } from "./db/migrate";

// `npm run db:migrate` and the one-off migration task in production.
try {
  const config = loadConfig(process.env);
  const kind = await migrateDatabase(config.database);
  console.log(`Migrations applied (${kind}).`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
