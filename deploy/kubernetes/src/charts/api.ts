// The API: Deployment (probes on the health routes, restricted security context, zone spread,
// graceful termination), Service, HPA, PDB, and the migration Job that every new image must complete
// before its pods start (src/migration-wait.ts).

import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { MIGRATE_COMMAND, RDS_CA_FILE } from "../../../../infra/aws/lib/constructs/api.ts";
import {
  API_BASE_PATH,
  HEALTH_CHECK_PATH,
  READINESS_PATH,
} from "../../../../infra/aws/lib/constructs/api-paths.ts";
import { API_PORT } from "../../../../infra/aws/lib/constructs/firewall.ts";
import {
  API_APP,
  API_SERVICE,
  API_SERVICE_ACCOUNT,
  MIGRATE_APP,
  MIGRATE_SERVICE_ACCOUNT,
  NAMESPACES,
} from "../contract.ts";
import { appLabels, selectorOf } from "../labels.ts";
import { KUBE_API_CREDENTIALS_DIR, MIGRATION_WAIT_SCRIPT, migrationJobName } from "../migration-wait.ts";
import { add, type Named } from "../objects.ts";
import { ROLLING_UPDATE, restrictedContainer, restrictedTemplate, spreadOver } from "../pods.ts";
import { addDisruptionBudget, addService } from "../service.ts";
import { API_DEFAULTS, envVars, type Settings } from "../settings.ts";
import type { Target } from "../targets.ts";

export { API_APP, MIGRATE_APP };

/** uid/gid of `node` in the API image (apps/api/Dockerfile: USER node). */
const NODE_UID = 1000;
/** Secrets the API and the migration read (created by hand locally, by External Secrets on EKS). */
export const API_SECRETS = {
  api: "coleta-api-secrets",
  migrate: "coleta-migrate-secrets",
  settings: "coleta-api-settings",
};
/** Local target: the database credentials, also in the data namespace (docs/kubernetes.md). */
export const LOCAL_DATABASE_SECRET = "coleta-database";
export const LOCAL_DATA_HOSTS = {
  database: `postgis.${NAMESPACES.data}.svc.cluster.local`,
  cache: `valkey.${NAMESPACES.data}.svc.cluster.local`,
};

/**
 * Seconds between SIGTERM and SIGKILL: the preStop pause (endpoints and the load balancer stop
 * sending new requests first), then the API's own drain (SHUTDOWN_TIMEOUT_MS), plus a margin.
 */
export const PRE_STOP_SECONDS = 5;
export const TERMINATION_GRACE_SECONDS =
  PRE_STOP_SECONDS + Math.ceil(API_DEFAULTS.SHUTDOWN_TIMEOUT_MS / 1000) + 5;

const secret = (name: string) => (key: string) => ({ secret: name, key });

/** Settings of the API container and of the migration Job. */
export function apiSettings(target: Target): { api: Settings; migrate: Settings } {
  const common: Settings = {
    NODE_ENV: "production",
    PORT: String(API_PORT),
    API_BASE_PATH,
    // Migrations run in the Job only; the API's database role may not even run DDL (EKS).
    MIGRATE_ON_START: "false",
    DATABASE_POOL_SIZE: String(target.api.databasePoolSize),
    SIGNUP_MODE: target.api.signupMode,
    LOG_LEVEL: target.api.logLevel,
  };
  if (target.kind === "local") {
    const db = secret(LOCAL_DATABASE_SECRET);
    const local: Settings = {
      ...common,
      PUBLIC_URL: `http://${target.host}`,
      // The ingress controller appends the client's address to X-Forwarded-For.
      TRUST_PROXY_HOPS: "1",
      DATABASE_HOST: LOCAL_DATA_HOSTS.database,
      DATABASE_PORT: "5432",
      DATABASE_NAME: "coleta",
      DATABASE_USER: db("username"),
      DATABASE_PASSWORD: db("password"),
      DATABASE_SSL_MODE: "disable",
      REDIS_HOST: LOCAL_DATA_HOSTS.cache,
      REDIS_PORT: "6379",
      AUTH_SECRET: secret(API_SECRETS.api)("AUTH_SECRET"),
    };
    return { api: local, migrate: local };
  }
  const fromSettings = secret(API_SECRETS.settings);
  const aws: Settings = {
    ...common,
    PUBLIC_URL: `https://${target.config.domainName}`,
    // CloudFront appends the viewer's address, the ALB appends CloudFront's (as on ECS).
    TRUST_PROXY_HOPS: "2",
    DATABASE_HOST: fromSettings("DATABASE_HOST"),
    DATABASE_PORT: fromSettings("DATABASE_PORT"),
    DATABASE_NAME: fromSettings("DATABASE_NAME"),
    DATABASE_SSL_MODE: "verify-full",
    DATABASE_SSL_CA_FILE: RDS_CA_FILE,
    DATABASE_SSL_SERVERNAME: fromSettings("DATABASE_SSL_SERVERNAME"),
    REDIS_HOST: fromSettings("REDIS_HOST"),
    REDIS_PORT: fromSettings("REDIS_PORT"),
    REDIS_TLS: "true",
    REDIS_PASSWORD: secret(API_SECRETS.api)("REDIS_PASSWORD"),
    AUTH_SECRET: secret(API_SECRETS.api)("AUTH_SECRET"),
  };
  const app = secret(API_SECRETS.api);
  const migrate = secret(API_SECRETS.migrate);
  return {
    // The service as coleta_app (DML only), the Job as coleta_migrator with the role bootstrap.
    api: { ...aws, DATABASE_USER: app("DATABASE_USER"), DATABASE_PASSWORD: app("DATABASE_PASSWORD") },
    migrate: {
      ...aws,
      DATABASE_USER: migrate("DATABASE_USER"),
      DATABASE_PASSWORD: migrate("DATABASE_PASSWORD"),
      DATABASE_ADMIN_USER: migrate("DATABASE_ADMIN_USER"),
      DATABASE_ADMIN_PASSWORD: migrate("DATABASE_ADMIN_PASSWORD"),
      DATABASE_APP_USER: migrate("DATABASE_APP_USER"),
      DATABASE_APP_PASSWORD: migrate("DATABASE_APP_PASSWORD"),
    },
  };
}

const httpGet = (path: string) => ({ httpGet: { path, port: "http" } });
const tmpVolume = { name: "tmp", emptyDir: { sizeLimit: "256Mi" } };
const tmpMount = { name: "tmp", mountPath: "/tmp" };

export function apiChart(scope: Construct, target: Target): Chart {
  const chart = new Chart(scope, "api");
  const namespace = NAMESPACES.api;
  const settings = apiSettings(target);
  const jobName = migrationJobName(target.apiImage);
  const labels = appLabels(API_APP, "api");

  for (const [name, app] of [
    [API_SERVICE_ACCOUNT, API_APP],
    [MIGRATE_SERVICE_ACCOUNT, MIGRATE_APP],
  ] as const) {
    add<Named<IServiceAccount>>(chart, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, labels: appLabels(app, app === API_APP ? "api" : "migration") },
      // Tokens only where projected on purpose (the init container below).
      automountServiceAccountToken: false,
    });
  }
  // The init container may read Jobs of its namespace, nothing else.
  add<Named<IRole>>(chart, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "coleta-migration-reader", namespace },
    rules: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get"] }],
  });
  add<Named<IRoleBinding>>(chart, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "coleta-migration-reader", namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "coleta-migration-reader" },
    subjects: [{ kind: "ServiceAccount", name: API_SERVICE_ACCOUNT, namespace }],
  });

  add<Named<IJob>>(chart, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: jobName, namespace, labels: appLabels(MIGRATE_APP, "migration") },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 1800,
      // No ttlSecondsAfterFinished: API pods started later (scale-out, node loss) look this Job up.
      template: restrictedTemplate(appLabels(MIGRATE_APP, "migration"), NODE_UID, {
        serviceAccountName: MIGRATE_SERVICE_ACCOUNT,
        restartPolicy: "Never",
        containers: [
          {
            name: "migrate",
            image: target.apiImage,
            command: [...MIGRATE_COMMAND],
            env: envVars(settings.migrate),
            resources: {
              requests: { cpu: "100m", memory: "256Mi" },
              limits: { cpu: "500m", memory: "512Mi" },
            },
            securityContext: restrictedContainer(NODE_UID),
            volumeMounts: [tmpMount],
          },
        ],
        volumes: [tmpVolume],
      }),
    },
  });

  add<Named<IDeployment>>(chart, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: API_APP, namespace, labels },
    spec: {
      // Replicas belong to the HPA after the first apply.
      replicas: target.api.minReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(API_APP) },
      // Old pods serve until new ones are ready (and new ones wait for the migration).
      strategy: ROLLING_UPDATE,
      template: restrictedTemplate(labels, NODE_UID, {
        serviceAccountName: API_SERVICE_ACCOUNT,
        terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
        topologySpreadConstraints: [
          spreadOver(API_APP, "topology.kubernetes.io/zone", target.spreadAcrossZones),
          spreadOver(API_APP, "kubernetes.io/hostname", "ScheduleAnyway"),
        ],
        initContainers: [
          {
            name: "wait-for-migration",
            image: target.apiImage,
            command: ["node", "-e", MIGRATION_WAIT_SCRIPT],
            env: [
              { name: "JOB_NAME", value: jobName },
              { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
              { name: "NODE_EXTRA_CA_CERTS", value: `${KUBE_API_CREDENTIALS_DIR}/ca.crt` },
            ],
            resources: {
              requests: { cpu: "10m", memory: "64Mi" },
              limits: { cpu: "100m", memory: "128Mi" },
            },
            securityContext: restrictedContainer(NODE_UID),
            volumeMounts: [{ name: "kube-api", mountPath: KUBE_API_CREDENTIALS_DIR, readOnly: true }],
          },
        ],
        containers: [
          {
            name: "api",
            image: target.apiImage,
            ports: [{ name: "http", containerPort: API_PORT, protocol: "TCP" }],
            env: envVars(settings.api),
            // Liveness never looks at the database (a failover must not restart every pod);
            // readiness does, so a pod without its database takes no traffic.
            startupProbe: { ...httpGet(HEALTH_CHECK_PATH), periodSeconds: 2, failureThreshold: 30 },
            livenessProbe: {
              ...httpGet(HEALTH_CHECK_PATH),
              periodSeconds: 15,
              timeoutSeconds: 5,
              failureThreshold: 3,
            },
            readinessProbe: {
              ...httpGet(READINESS_PATH),
              periodSeconds: 5,
              timeoutSeconds: 3,
              failureThreshold: 2,
            },
            lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
            resources: {
              requests: { cpu: "250m", memory: "384Mi" },
              limits: { cpu: "1", memory: "768Mi" },
            },
            securityContext: restrictedContainer(NODE_UID),
            volumeMounts: [tmpMount],
          },
        ],
        volumes: [
          tmpVolume,
          {
            name: "kube-api",
            projected: {
              sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
                { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              ],
            },
          },
        ],
      }),
    },
  });

  const api = { app: API_APP, namespace, labels };
  addService(chart, api, { name: "http", port: API_PORT }, { serviceName: API_SERVICE, type: "ClusterIP" });

  add<Named<IHorizontalPodAutoscaler>>(chart, {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: API_APP, namespace, labels },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: API_APP },
      minReplicas: target.api.minReplicas,
      maxReplicas: target.api.maxReplicas,
      // CPU through metrics-server. Requests per pod needs a custom-metrics adapter (e.g. the
      // Prometheus adapter serving coleta_http_requests); none is installed, see docs/kubernetes.md.
      metrics: [
        {
          type: "Resource",
          resource: {
            name: "cpu",
            target: { type: "Utilization", averageUtilization: target.api.cpuTargetPercent },
          },
        },
      ],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
        },
      },
    },
  });

  addDisruptionBudget(chart, api);
  return chart;
}
