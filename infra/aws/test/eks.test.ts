// `-c compute=eks`: the EKS stack and how it joins the shared Network, Data, Cicd and Edge stacks,
// one assertion group per requirement of issue 14. One synth per environment, shared.
import { readdirSync, readFileSync } from "node:fs";
import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  API_APP,
  API_SERVICE_ACCOUNT,
  authSecretName,
  EKS_PARAMETER_SETTINGS,
  EXTERNAL_SECRETS,
  eksSettingParameter,
  eksTargetGroupName,
  MIGRATE_APP,
  NAMESPACES,
  TEAM_GROUPS,
} from "../../../deploy/kubernetes/src/contract.js";
import { configs, type EnvName } from "../config/index.js";
import { classifyTemplates, type TemplateJson } from "../cost/catalogue.js";
import { eksSizes } from "../cost/model.js";
import { addColetaEksEnvironment, type ColetaEksStacks } from "../lib/coleta.js";
import { EKS_ADDONS } from "../lib/constructs/eks-cluster.js";
import { EKS_KUBERNETES_VERSION, EKS_SIZING } from "../lib/constructs/eks-sizing.js";
import { acknowledgements, nagFindings, resources } from "./helpers.js";

const cdkJson = JSON.parse(readFileSync(new URL("../cdk.json", import.meta.url), "utf8")) as {
  context: Record<string, unknown>;
};
/**
 * The generated manifests of one environment (deploy/kubernetes/dist/eks/<env>, kept equal to the
 * generator by deploy/kubernetes/test/schema.test.ts): what gets applied to this cluster.
 */
function manifests(envName: EnvName): AnyObject[] {
  const dir = new URL(`../../../deploy/kubernetes/dist/eks/${envName}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .flatMap((f) =>
      parseAllDocuments(readFileSync(new URL(f, dir), "utf8")).map((d) => d.toJS() as AnyObject),
    );
}

interface Synth {
  app: App;
  stacks: ColetaEksStacks;
  t: Record<keyof ColetaEksStacks, Template>;
}

function synthEks(envName: EnvName): Synth {
  const app = new App({ context: { ...cdkJson.context, compute: "eks" } });
  const stacks = addColetaEksEnvironment(app, configs[envName]);
  app.synth();
  const t = Object.fromEntries(
    Object.entries(stacks).map(([k, s]) => [k, Template.fromStack(s as Stack)]),
  ) as Record<keyof ColetaEksStacks, Template>;
  return { app, stacks, t };
}

type Res = { Type: string; Properties: Record<string, unknown> };
const all = (t: Template, type: string) => Object.values(resources(t, type)) as Res[];
const json = (value: unknown) => JSON.stringify(value);

// Kubernetes objects read back from a template.
type AnyObject = any;
/** The objects of a KubernetesResource manifest, with CloudFormation tokens shown as output:/att: names. */
function manifestObjects(manifest: unknown): AnyObject[] {
  const parts = (manifest as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"]?.[1] ?? [manifest];
  const text = parts
    .map((p) => {
      if (typeof p === "string") return p;
      const o = p as { "Fn::GetStackOutput"?: { OutputName: string }; "Fn::GetAtt"?: string[] };
      if (o["Fn::GetStackOutput"]) return `output:${o["Fn::GetStackOutput"].OutputName}`;
      if (o["Fn::GetAtt"]) return `att:${o["Fn::GetAtt"].join(".")}`;
      return "token";
    })
    .join("");
  return JSON.parse(text) as AnyObject[];
}

describe.each(["dev", "prod"] as const)("Coleta-%s with compute=eks", (envName) => {
  let s: Synth;
  const config = configs[envName];
  beforeAll(() => {
    s = synthEks(envName);
  });

  it("reuses Network, Data, Cicd and Edge; Eks replaces App (and its ECS Monitoring stack)", () => {
    expect(Object.keys(s.stacks).sort()).toEqual(["cicd", "data", "edge", "eks", "network"]);
    expect(s.app.node.tryFindChild(`Coleta-${envName}-App`)).toBeUndefined();
    expect(all(s.t.eks, "AWS::ECS::Service")).toHaveLength(0);
    expect(s.stacks.edge.dependencies).toContain(s.stacks.eks);
  });

  it("runs Kubernetes 1.34 (the manifests' schema) with every control-plane log type", () => {
    const [cluster] = all(s.t.eks, "Custom::AWSCDK-EKS-Cluster").concat(all(s.t.eks, "AWS::EKS::Cluster"));
    const config = json(cluster?.Properties);
    expect(config).toContain(`"Version":"${EKS_KUBERNETES_VERSION}"`);
    for (const type of ["api", "audit", "authenticator", "controllerManager", "scheduler"])
      expect(config).toContain(type);
  });

  it("has a managed node group of Graviton instances in the private subnets", () => {
    const [ng] = all(s.t.eks, "AWS::EKS::Nodegroup");
    const sizing = EKS_SIZING[envName];
    expect(ng?.Properties).toMatchObject({
      AmiType: "AL2023_ARM_64_STANDARD",
      InstanceTypes: [sizing.instanceType],
      ScalingConfig: { MinSize: sizing.minNodes, DesiredSize: sizing.desiredNodes, MaxSize: sizing.maxNodes },
    });
    expect(sizing.instanceType).toMatch(/^[a-z]+\d+g[a-z]*\./); // Graviton families end in "g"
    expect(sizing.instanceType).not.toMatch(/^t/); // no trunk ENIs (security groups for pods) on t
  });

  it("installs the add-ons: VPC CNI with pod ENIs, CoreDNS, kube-proxy, Pod Identity agent, metrics-server", () => {
    const addons = all(s.t.eks, "AWS::EKS::Addon");
    expect(addons.map((a) => a.Properties.AddonName).sort()).toEqual(Object.keys(EKS_ADDONS).sort());
    const cni = addons.find((a) => a.Properties.AddonName === "vpc-cni");
    expect(JSON.parse(String(cni?.Properties.ConfigurationValues))).toEqual({
      env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
    });
  });

  it("installs the AWS Load Balancer Controller and External Secrets Operator", () => {
    const charts = all(s.t.eks, "Custom::AWSCDK-EKS-HelmChart").map((c) => c.Properties);
    expect(charts.map((c) => c.Chart).sort()).toEqual(["aws-load-balancer-controller", "external-secrets"]);
    expect(charts.every((c) => typeof c.Version === "string" && /^\d/.test(String(c.Version)))).toBe(true);
  });

  it("gives the API pods bucket access and External Secrets read access through Pod Identity", () => {
    const associations = all(s.t.eks, "AWS::EKS::PodIdentityAssociation").map((a) => a.Properties);
    expect(associations.map((a) => `${a.Namespace}/${a.ServiceAccount}`).sort()).toEqual(
      [
        `${EXTERNAL_SECRETS.namespace}/${EXTERNAL_SECRETS.serviceAccount}`,
        `${NAMESPACES.api}/${API_SERVICE_ACCOUNT}`,
      ].sort(),
    );
    const roles = all(s.t.eks, "AWS::IAM::Role").filter((r) =>
      json(r.Properties.AssumeRolePolicyDocument).includes("pods.eks.amazonaws.com"),
    );
    expect(roles).toHaveLength(2);
    for (const r of roles) expect(json(r.Properties.AssumeRolePolicyDocument)).toContain("sts:TagSession");
    const policies = json(all(s.t.eks, "AWS::IAM::Policy").map((p) => p.Properties.PolicyDocument));
    expect(policies).toContain(`coleta-${envName}-uploads`);
    expect(policies).not.toMatch(/"secretsmanager:\*"|"ssm:\*"|"s3:\*"/);
  });

  it("lets External Secrets read exactly what the manifests' ExternalSecrets ask for", () => {
    const keys = manifests(envName)
      .filter((o) => o.kind === "ExternalSecret")
      .flatMap((o) =>
        (o.spec as { data: Array<{ remoteRef: { key: string } }> }).data.map((d) => d.remoteRef.key),
      );
    const policies = json(all(s.t.eks, "AWS::IAM::Policy").map((p) => p.Properties.PolicyDocument));
    for (const key of new Set(keys)) {
      expect(policies, key).toContain(key.startsWith("/") ? `parameter${key}` : `secret:${key}-??????`);
    }
    // And each of those secrets and parameters exists in the synthesized stacks.
    const secretNames = [
      ...all(s.t.data, "AWS::SecretsManager::Secret"),
      ...all(s.t.eks, "AWS::SecretsManager::Secret"),
    ].map((r) => r.Properties.Name);
    // (Named parameters only: aws-cdk-lib adds an unnamed one for the kubectl provider.)
    const parameters = all(s.t.eks, "AWS::SSM::Parameter")
      .map((r) => r.Properties.Name)
      .filter((n): n is string => typeof n === "string");
    for (const key of new Set(keys)) {
      expect(key.startsWith("/") ? parameters : secretNames, key).toContain(key);
    }
    expect(parameters.sort()).toEqual(
      EKS_PARAMETER_SETTINGS.map((n) => eksSettingParameter(envName, n)).sort(),
    );
    expect(secretNames).toContain(authSecretName(envName));
  });

  it("maps each team (people and CI) to its own namespace only", () => {
    // Besides the cluster creator's admin entry (the CloudFormation role that deploys the stack).
    const entries = all(s.t.eks, "AWS::EKS::AccessEntry")
      .map((e) => e.Properties)
      .filter((e) => e.KubernetesGroups !== undefined);
    expect(entries).toHaveLength(4);
    for (const team of ["api", "web"] as const) {
      const mine = entries.filter((e) => json(e.KubernetesGroups) === json([TEAM_GROUPS[team]]));
      expect(mine, team).toHaveLength(2);
      for (const e of mine) {
        expect(e.Type).toBe("STANDARD");
        expect(e.AccessPolicies).toEqual([
          {
            PolicyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            AccessScope: { Type: "namespace", Namespaces: [NAMESPACES[team]] },
          },
        ]);
      }
      expect(json(mine.map((e) => e.PrincipalArn))).toContain(
        team === "api"
          ? `coleta-${envName}-github-deploy-backend`
          : `coleta-${envName}-github-deploy-frontend`,
      );
    }
  });

  it("gives only the API and migration pods the security groups RDS and ElastiCache admit", () => {
    const manifests = all(s.t.eks, "Custom::AWSCDK-EKS-KubernetesResource").map((m) =>
      manifestObjects(m.Properties.Manifest),
    );
    const policies = manifests.flat().filter((o) => o.kind === "SecurityGroupPolicy");
    expect(policies.map((p) => p.spec.podSelector.matchLabels["app.kubernetes.io/name"]).sort()).toEqual(
      [API_APP, MIGRATE_APP].sort(),
    );
    for (const p of policies) {
      const group =
        p.spec.podSelector.matchLabels["app.kubernetes.io/name"] === API_APP
          ? "FirewallApi"
          : "FirewallMigration";
      expect(p.metadata.namespace).toBe(NAMESPACES.api);
      expect(p.spec.securityGroups.groupIds).toHaveLength(2);
      expect(p.spec.securityGroups.groupIds[0]).toMatch(new RegExp(`^output:PublishOutputFnGetAtt${group}`));
      expect(p.spec.securityGroups.groupIds[1]).toMatch(/\.ClusterSecurityGroupId$/);
    }
    // The database group admits the API, migration and rotation groups and nothing else: no node
    // or cluster group, no CIDR.
    const rules = all(s.t.network, "AWS::EC2::SecurityGroupIngress").filter(
      (r) => r.Properties.FromPort === 5432,
    );
    expect(rules).toHaveLength(3);
    for (const r of rules) {
      expect(r.Properties.SourceSecurityGroupId).toBeDefined();
      expect(r.Properties.CidrIp).toBeUndefined();
    }
    const eksIngress = all(s.t.eks, "AWS::EC2::SecurityGroupIngress").filter((r) =>
      [5432, config.cache.port].includes(Number(r.Properties.FromPort)),
    );
    expect(eksIngress).toHaveLength(0);
  });

  it("puts the API behind an ALB only CloudFront can use, with the target group the TargetGroupBinding names", () => {
    const [tg] = all(s.t.eks, "AWS::ElasticLoadBalancingV2::TargetGroup");
    expect(tg?.Properties).toMatchObject({ Name: eksTargetGroupName(envName), TargetType: "ip", Port: 3000 });
    const [rule] = all(s.t.eks, "AWS::ElasticLoadBalancingV2::ListenerRule");
    expect(json(rule?.Properties.Conditions)).toContain("X-Origin-Verify");
    const [listener] = all(s.t.eks, "AWS::ElasticLoadBalancingV2::Listener");
    expect(json(listener?.Properties.DefaultActions)).toContain("403");
    expect(json(s.t.edge.toJSON())).toContain(`origin.${config.domainName}`);
  });

  it("lets the manifests' NetworkPolicies admit exactly the VPC's public (ALB) and isolated (data) subnets", () => {
    const subnets = all(s.t.network, "AWS::EC2::Subnet").map((r) => ({
      cidr: r.Properties.CidrBlock as string,
      type: (r.Properties.Tags as Array<{ Key: string; Value: string }>).find(
        (t) => t.Key === "aws-cdk:subnet-type",
      )?.Value,
    }));
    const policies = manifests(envName).filter((o) => o.kind === "NetworkPolicy");
    const blocks = (name: string, rules: "ingress" | "egress", port: number) =>
      policies
        .find((p) => p.metadata.name === name)
        ?.spec[rules].filter((r: AnyObject) => r.ports.some((p: AnyObject) => p.port === port))
        .flatMap((r: AnyObject) => (r.from ?? r.to).map((peer: AnyObject) => peer.ipBlock?.cidr))
        .filter(Boolean)
        .sort();
    const of = (type: string) =>
      subnets
        .filter((x) => x.type === type)
        .map((x) => x.cidr)
        .sort();
    expect(blocks("api-ingress", "ingress", 3000)).toEqual(of("Public"));
    expect(blocks("api-egress", "egress", 5432)).toEqual(of("Isolated"));
    expect(blocks("api-egress", "egress", config.cache.port)).toEqual(of("Isolated"));
  });

  it("prices every resource it builds; the cost model's EKS nodes are this node group", () => {
    // The Eks stack's resources (the shared stacks are the ECS cost tests' business).
    const keys = Object.keys(s.t) as Array<keyof ColetaEksStacks>;
    const eksIndex = keys.indexOf("eks");
    const classified = classifyTemplates(keys.map((k) => s.t[k].toJSON() as TemplateJson)).filter(
      (c) => c.template === eksIndex,
    );
    expect(classified.length).toBeGreaterThan(40);
    expect(
      classified.filter((c) => c.classification.kind === "unpriced").map((c) => c.resource.Type),
    ).toEqual([]);
    const nodegroups = classified.filter((c) => c.resource.Type === "AWS::EKS::Nodegroup");
    expect(nodegroups).toHaveLength(1);
    const sizes = eksSizes(envName);
    expect(nodegroups[0]?.classification).toMatchObject({
      kind: "cost",
      line: "compute",
      quantities: { eksNodegroups: 1, eksMinNodes: sizes.minNodes },
    });
    expect(nodegroups[0]?.resource.Properties?.InstanceTypes).toEqual([sizes.nodeType]);
  });

  it("is cdk-nag clean, and every acknowledgement has a reason", () => {
    expect(nagFindings(s.app)).toEqual([]);
    for (const a of acknowledgements(s.app))
      expect(String(a.reason).length, `${a.path} ${a.id}`).toBeGreaterThan(20);
  });

  it("acknowledges, in the Eks stack, only IAM, secret-rotation, the public endpoint and the kubectl runtime", () => {
    const ours = acknowledgements(s.stacks.eks).filter((a) => /^annotation::/i.test(a.id));
    const ids = new Set(ours.map((a) => a.id.replace(/^annotation::/i, "").replace(/\[.*$/, "")));
    expect([...ids].sort()).toEqual(
      [
        "AwsSolutions-EKS1",
        "AwsSolutions-IAM4",
        "AwsSolutions-IAM5",
        "AwsSolutions-L1",
        "AwsSolutions-SMG4",
      ].sort(),
    );
  });
});
