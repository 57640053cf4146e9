/**
 * Synthesizes both environments (as `cdk synth` does, same feature flags) and writes the counts of
 * their monitoring resources to inventory.json, which the cost model reads.
 *   npx tsx infra/aws/cost/inventory-synth.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { configs } from "../config/index.js";
import { addColetaEnvironment } from "../lib/coleta.js";
import {
  INVENTORY_FILE,
  type Inventory,
  inventoryFromTemplates,
  renderInventory,
  type TemplateJson,
} from "./inventory.js";

export function synthesizedInventory(): Inventory {
  const cdkJson = JSON.parse(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "cdk.json"), "utf8"),
  ) as { context: Record<string, unknown> };
  const result = {} as Inventory;
  for (const env of ["dev", "prod"] as const) {
    const app = new App({ context: { ...cdkJson.context } });
    const stacks = addColetaEnvironment(app, configs[env]);
    const assembly = app.synth();
    result[env] = inventoryFromTemplates(
      Object.values(stacks).map((stack) => assembly.getStackByName(stack.stackName).template as TemplateJson),
    );
  }
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const inventory = synthesizedInventory();
  writeFileSync(INVENTORY_FILE, renderInventory(inventory));
  console.log(`wrote ${INVENTORY_FILE}`);
  console.log(renderInventory(inventory));
}
