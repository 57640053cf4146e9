// Offline validation against the Kubernetes OpenAPI schema of the target version: the validators
// kubernetes-models generates from the upstream OpenAPI document (ajv, compiled ahead of time), the
// CRD schemas of Prometheus Operator and External Secrets from their @kubernetes-models packages,
// and the TargetGroupBinding CRD schema committed from the AWS Load Balancer Controller
// (schemas/, with its source in $comment), checked with ajv here.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type { KubeObject } from "../../src/objects.ts";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

const CRD_PACKAGES: Record<string, string> = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

const tgbSchema = JSON.parse(
  readFileSync(
    new URL("../../schemas/elbv2.k8s.aws_targetgroupbinding_v1beta1.json", import.meta.url),
    "utf8",
  ),
);
// Formats (date-time, int64) only appear under status, which manifests never set.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validateTgb = ajv.compile(tgbSchema);

async function modelOf(object: KubeObject): Promise<ModelClass> {
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];
  const pkg = group && CRD_PACKAGES[group] ? CRD_PACKAGES[group] : "kubernetes-models";
  const path = group ? `${pkg}/${group}/${version}/${object.kind}` : `${pkg}/${version}/${object.kind}`;
  const module = (await import(path)) as Record<string, ModelClass>;
  const model = module[object.kind];
  if (!model) throw new Error(`${path} has no model ${object.kind}`);
  return model;
}

/** Error message, or undefined when the object is valid. */
export async function schemaErrors(object: KubeObject): Promise<string | undefined> {
  if (object.apiVersion === "elbv2.k8s.aws/v1beta1" && object.kind === "TargetGroupBinding") {
    return validateTgb(object) ? undefined : ajv.errorsText(validateTgb.errors);
  }
  const Model = await modelOf(object);
  try {
    new Model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
