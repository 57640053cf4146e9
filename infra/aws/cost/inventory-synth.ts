/**
 * Synthesizes both environments exactly as the infra tests do (test/helpers.ts synthEnv: cdk.json
 * feature flags, a placeholder API image digest) and writes what the cost model prices (resource
 * types, cost-line quantities, sizes; see inventory.ts) to inventory.json. Exits with 1, after
 * writing, when a resource type has neither a cost line nor a free entry in catalogue.ts (the tests
 * fail on it too).
 *   npx tsx infra/aws/cost/inventory-synth.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { synthEnv } from "../test/helpers.js";
import {
  INVENTORY_FILE,
  type Inventory,
  inventoryFromTemplates,
  renderInventory,
  type TemplateJson,
} from "./inventory.js";

export function synthesizedInventory(): Inventory {
  const result = {} as Inventory;
  for (const env of ["dev", "prod"] as const) {
    const { templates } = synthEnv(env);
    result[env] = inventoryFromTemplates(Object.values(templates).map((t) => t.toJSON() as TemplateJson));
  }
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const inventory = synthesizedInventory();
  writeFileSync(INVENTORY_FILE, renderInventory(inventory));
  console.log(`wrote ${INVENTORY_FILE}`);
  for (const env of ["dev", "prod"] as const) {
    const types = Object.values(inventory[env].resourceTypes).reduce((a, b) => a + b, 0);
    console.log(`${env}: ${types} resources of ${Object.keys(inventory[env].resourceTypes).length} types`);
    for (const u of inventory[env].unpriced) {
      console.error(`${env}: NOT PRICED ${u.type}: ${u.reason}`);
      process.exitCode = 1;
    }
  }
}
