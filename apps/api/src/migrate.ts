import { loadConfig } from "./config";
import { openDatabase } from "./db/client";
import { runMigrations } from "./db/migrate";

// `npm run db:migrate` and the one-off migration task in production.
try {
  const config = loadConfig(process.env);
  const database = await openDatabase(config.database);
  try {
    await runMigrations(database);
    console.log(`Migrations applied (${database.kind}).`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
