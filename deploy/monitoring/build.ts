// npm run monitoring:build — regenerates deploy/monitoring/generated/ (commit the result).
import { relative } from "node:path";
import { GENERATED_DIR, writeGenerated } from "./src/generate.ts";

const { written, removed } = writeGenerated();
const where = relative(process.cwd(), GENERATED_DIR) || ".";
for (const f of removed) console.log(`removed ${where}/${f}`);
console.log(`wrote ${written.length} files to ${where}/`);
