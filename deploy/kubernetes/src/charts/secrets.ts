// EKS only: External Secrets Operator copies the API's secrets from Secrets Manager and its AWS-side
// settings from Parameter Store into Kubernetes Secrets. The operator's controller reads them with
// its Pod Identity role (infra/aws/lib/constructs/eks-addons.ts), limited to this environment's
// names; nothing secret is in the manifests.
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import { databaseSecretName } from "../../../../infra/aws/lib/constructs/database.ts";
import {
  authSecretName,
  cacheAuthTokenSecretName,
  EKS_PARAMETER_SETTINGS,
  eksSettingParameter,
  NAMESPACES,
} from "../contract.ts";
import { add, type KubeObject } from "../objects.ts";
import type { EksTarget } from "../targets.ts";
import { API_SECRETS } from "./api.ts";

export const SECRET_STORES = { secretsManager: "aws-secrets-manager", parameterStore: "aws-parameter-store" };

export function secretsChart(scope: Construct, target: EksTarget): Chart {
  const chart = new Chart(scope, "secrets");
  const namespace = NAMESPACES.api;
  const env = target.config.envName;
  const labels = { "app.kubernetes.io/part-of": "coleta" };
  for (const [name, service] of [
    [SECRET_STORES.secretsManager, "SecretsManager"],
    [SECRET_STORES.parameterStore, "ParameterStore"],
  ] as const) {
    add<ISecretStore & KubeObject>(chart, {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name, namespace, labels },
      // No auth block: the controller's own Pod Identity credentials are used.
      spec: { provider: { aws: { service, region: target.config.region } } },
    });
  }
  const external = (
    name: string,
    store: string,
    data: Array<{ secretKey: string; key: string; property?: string }>,
  ) =>
    add<IExternalSecret & KubeObject>(chart, {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace, labels },
      spec: {
        // Pods read their environment at start: after a rotation, `kubectl rollout restart`.
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: store },
        target: { name, creationPolicy: "Owner" },
        data: data.map(({ secretKey, key, property }) => ({
          secretKey,
          remoteRef: property ? { key, property } : { key },
        })),
      },
    });
  external(
    API_SECRETS.settings,
    SECRET_STORES.parameterStore,
    EKS_PARAMETER_SETTINGS.map((setting) => ({ secretKey: setting, key: eksSettingParameter(env, setting) })),
  );
  const credentials = (prefix: string, role: Parameters<typeof databaseSecretName>[1]) => [
    { secretKey: `${prefix}_USER`, key: databaseSecretName(env, role), property: "username" },
    { secretKey: `${prefix}_PASSWORD`, key: databaseSecretName(env, role), property: "password" },
  ];
  external(API_SECRETS.api, SECRET_STORES.secretsManager, [
    ...credentials("DATABASE", "app"),
    { secretKey: "REDIS_PASSWORD", key: cacheAuthTokenSecretName(env), property: "token" },
    { secretKey: "AUTH_SECRET", key: authSecretName(env) },
  ]);
  external(API_SECRETS.migrate, SECRET_STORES.secretsManager, [
    ...credentials("DATABASE", "migrator"),
    ...credentials("DATABASE_ADMIN", "admin"),
    ...credentials("DATABASE_APP", "app"),
  ]);
  return chart;
}
