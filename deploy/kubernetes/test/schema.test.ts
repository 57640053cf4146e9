import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST_DIR, listFiles, synthesizeAll } from "../src/dist.ts";
import { schemaErrors } from "./lib/schema.ts";
import { builtTargets } from "./lib/targets.ts";

describe.each(builtTargets().map((b) => [b.target.dir, b] as const))("objects of %s", (_dir, { objects }) => {
  it.each(objects.map((o) => [`${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`, o] as const))(
    "%s is valid against the Kubernetes 1.34 / CRD schema",
    async (_name, object) => {
      expect(await schemaErrors(object)).toBeUndefined();
    },
  );
});

describe("the validator", () => {
  it("rejects an object that breaks the schema (so the checks above can fail)", async () => {
    const objects = builtTargets().flatMap((b) => b.objects);
    // A deliberately broken copy.
    const deployment = structuredClone(objects.find((o) => o.kind === "Deployment")) as any;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(await schemaErrors(deployment as never)).toMatch(/containerPort/);
    const tgb = {
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "TargetGroupBinding",
      metadata: { name: "x" },
      spec: { serviceRef: { name: "x" }, targetType: "pod" },
    };
    expect(await schemaErrors(tgb)).toMatch(/targetType|port/);
  });
});

describe("dist/", () => {
  it("is what `npm run k8s:synth` writes (regenerate and commit after changing the TypeScript)", () => {
    const files = synthesizeAll();
    expect(listFiles(DIST_DIR).sort()).toEqual([...files.keys()].sort());
    for (const [path, text] of files) {
      expect(readFileSync(join(DIST_DIR, path), "utf8"), path).toBe(text);
    }
  });
});
