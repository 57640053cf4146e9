// Local target only: PostGIS (StatefulSet with a PVC) and Valkey, the same images as
// deploy/compose. On EKS the database and cache are RDS and ElastiCache from the Data stack.

import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { POSTGRES_PORT } from "../../../../infra/aws/lib/constructs/firewall.ts";
import { NAMESPACES } from "../contract.ts";
import { composeImage } from "../images.ts";
import { appLabels, selectorOf } from "../labels.ts";
import { add, type Named } from "../objects.ts";
import { restrictedContainer, restrictedTemplate } from "../pods.ts";
import { addDisruptionBudget, addService } from "../service.ts";
import { LOCAL_DATABASE_SECRET } from "./api.ts";

export const POSTGIS_APP = "postgis";
export const VALKEY_APP = "valkey";
export const VALKEY_PORT = 6379;
/** uid of `postgres` in the Debian-based postgis image, of `valkey` in the Alpine valkey image. */
const POSTGRES_UID = 999;
const VALKEY_UID = 999;

export function dataChart(scope: Construct): Chart {
  const chart = new Chart(scope, "data");
  const namespace = NAMESPACES.data;
  const db = appLabels(POSTGIS_APP, "database");
  const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: LOCAL_DATABASE_SECRET, key } } });

  add<Named<IStatefulSet>>(chart, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: POSTGIS_APP, namespace, labels: db },
    spec: {
      serviceName: POSTGIS_APP,
      replicas: 1,
      selector: { matchLabels: selectorOf(POSTGIS_APP) },
      template: restrictedTemplate(db, POSTGRES_UID, {
        // Postgres' own fast shutdown needs a few seconds to checkpoint.
        terminationGracePeriodSeconds: 60,
        containers: [
          {
            name: "postgis",
            image: composeImage("db"),
            ports: [{ name: "postgres", containerPort: POSTGRES_PORT, protocol: "TCP" }],
            env: [
              { name: "POSTGRES_DB", value: "coleta" },
              { name: "POSTGRES_USER", ...fromSecret("username") },
              { name: "POSTGRES_PASSWORD", ...fromSecret("password") },
              // A subfolder: the volume's root may hold lost+found, which initdb refuses.
              { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
            ],
            startupProbe: {
              exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] },
              periodSeconds: 5,
              failureThreshold: 60,
            },
            readinessProbe: {
              exec: { command: ["pg_isready", "-h", "127.0.0.1"] },
              periodSeconds: 5,
              timeoutSeconds: 5,
            },
            livenessProbe: { tcpSocket: { port: "postgres" }, periodSeconds: 15, failureThreshold: 4 },
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            securityContext: restrictedContainer(POSTGRES_UID),
            volumeMounts: [
              { name: "data", mountPath: "/var/lib/postgresql/data" },
              { name: "run", mountPath: "/var/run/postgresql" },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "run", emptyDir: {} },
          { name: "tmp", emptyDir: {} },
        ],
      }),
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } },
        },
      ],
    },
  });
  const postgis = { app: POSTGIS_APP, namespace, labels: db };
  addService(chart, postgis, { name: "postgres", port: POSTGRES_PORT });
  addDisruptionBudget(chart, postgis);

  const cache = appLabels(VALKEY_APP, "cache");
  add<Named<IDeployment>>(chart, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: VALKEY_APP, namespace, labels: cache },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorOf(VALKEY_APP) },
      template: restrictedTemplate(cache, VALKEY_UID, {
        containers: [
          {
            name: "valkey",
            image: composeImage("cache"),
            // Sessions also live in Postgres and rate limits are short-lived: no persistence.
            args: ["valkey-server", "--save", "", "--appendonly", "no"],
            ports: [{ name: "valkey", containerPort: VALKEY_PORT, protocol: "TCP" }],
            startupProbe: { tcpSocket: { port: "valkey" }, periodSeconds: 2, failureThreshold: 30 },
            readinessProbe: { exec: { command: ["valkey-cli", "ping"] }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: "valkey" }, periodSeconds: 15 },
            resources: {
              requests: { cpu: "50m", memory: "64Mi" },
              limits: { cpu: "500m", memory: "256Mi" },
            },
            securityContext: restrictedContainer(VALKEY_UID),
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
        ],
        volumes: [{ name: "data", emptyDir: {} }],
      }),
    },
  });
  const valkey = { app: VALKEY_APP, namespace, labels: cache };
  addService(chart, valkey, { name: "valkey", port: VALKEY_PORT });
  addDisruptionBudget(chart, valkey);
  return chart;
}
