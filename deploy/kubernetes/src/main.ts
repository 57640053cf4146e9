// npm run k8s:synth [-- --api-image-digest sha256:… --web-image-digest sha256:… --registry host:port]
// Writes dist/local/ and dist/eks/<env>/. Without digests the Coleta images carry the all-zero
// placeholder digest (it cannot be pulled): that is what is committed; deploys synthesize with the
// digest of the image they ship (docs/kubernetes.md).
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { DIST_DIR, synthesizeAll, writeDist } from "./dist.ts";

const { values } = parseArgs({
  options: {
    "api-image-digest": { type: "string" },
    "web-image-digest": { type: "string" },
    registry: { type: "string" },
    out: { type: "string" },
  },
});
const files = synthesizeAll({
  apiDigest: values["api-image-digest"],
  webDigest: values["web-image-digest"],
  localRegistry: values.registry,
});
const dir = values.out ?? DIST_DIR;
const { written, removed } = writeDist(files, dir);
const where = relative(process.cwd(), dir) || ".";
for (const f of removed) console.log(`removed ${where}/${f}`);
console.log(`wrote ${written.length} files to ${where}/`);
