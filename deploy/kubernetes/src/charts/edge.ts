// How requests reach the pods. Local: one Ingress host with /frontend (web) and /backend (API).
// EKS: CloudFront keeps serving /frontend from S3 and sends /backend to the ALB the EKS stack
// creates (same origin lock as on ECS: CloudFront prefix list + secret header); the AWS Load Balancer
// Controller registers the API pods in that ALB's target group through a TargetGroupBinding.

import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { API_BASE_PATH } from "../../../../infra/aws/lib/constructs/api-paths.ts";
import { API_PORT } from "../../../../infra/aws/lib/constructs/firewall.ts";
import { API_SERVICE, eksTargetGroupName, NAMESPACES } from "../contract.ts";
import { add, type KubeObject } from "../objects.ts";
import type { EksTarget, LocalTarget } from "../targets.ts";
import { WEB_APP } from "./web.ts";

export const WEB_BASE_PATH = "/frontend";

export function localIngressChart(scope: Construct, target: LocalTarget): Chart {
  const chart = new Chart(scope, "ingress");
  const ingress = (namespace: string, name: string, path: string, service: string, port: number) =>
    add<IIngress & KubeObject>(chart, {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name, namespace, labels: { "app.kubernetes.io/part-of": "coleta" } },
      spec: {
        ingressClassName: target.ingressController.className,
        rules: [
          {
            host: target.host,
            http: {
              paths: [
                { path, pathType: "Prefix", backend: { service: { name: service, port: { number: port } } } },
              ],
            },
          },
        ],
      },
    });
  // One host, two Ingresses: each team owns the route into its own namespace.
  ingress(NAMESPACES.web, "coleta-web", WEB_BASE_PATH, WEB_APP, 80);
  ingress(NAMESPACES.api, "coleta-api", API_BASE_PATH, API_SERVICE, API_PORT);
  return chart;
}

export function eksIngressChart(scope: Construct, target: EksTarget): Chart {
  const chart = new Chart(scope, "ingress");
  add(chart, {
    apiVersion: "elbv2.k8s.aws/v1beta1",
    kind: "TargetGroupBinding",
    metadata: {
      name: API_SERVICE,
      namespace: NAMESPACES.api,
      labels: { "app.kubernetes.io/part-of": "coleta" },
    },
    spec: {
      serviceRef: { name: API_SERVICE, port: API_PORT },
      targetGroupName: eksTargetGroupName(target.config.envName),
      targetType: "ip",
    },
  });
  return chart;
}
