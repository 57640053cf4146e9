import { KubectlV34Layer } from "@aws-cdk/lambda-layer-kubectl-v34";
import { CfnCondition, Stack } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as eks from "aws-cdk-lib/aws-eks-v2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import {
  API_APP,
  EXTERNAL_SECRETS,
  eksClusterName,
  MIGRATE_APP,
  NAMESPACES,
} from "../../../../deploy/kubernetes/src/contract.js";
import { acknowledge } from "../nag.js";
import type { InVpcProps } from "./construct-props.js";
import { EKS_KUBERNETES_VERSION, EKS_SIZING, EXTERNAL_SECRETS_CHART } from "./eks-sizing.js";

export interface EksClusterProps extends InVpcProps {
  /** Security groups the API and migration pods get (the same as the ECS tasks'): RDS and ElastiCache admit only these. */
  readonly apiSecurityGroup: ec2.ISecurityGroup;
  readonly migrationSecurityGroup: ec2.ISecurityGroup;
}

/** The EKS add-ons installed and kept current by EKS itself (name → configuration). */
export const EKS_ADDONS: Record<string, Record<string, unknown> | undefined> = {
  // Security groups for pods: branch ENIs carry the API/migration groups (see below).
  "vpc-cni": { env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" } },
  coredns: undefined,
  "kube-proxy": undefined,
  "eks-pod-identity-agent": undefined,
  // HPA's CPU metrics (EKS community add-on).
  "metrics-server": undefined,
};

/**
 * The cluster: current Kubernetes (1.34, the manifests' schema), a Graviton managed node group in
 * the private subnets, add-ons, the AWS Load Balancer Controller and External Secrets Operator, and
 * security groups for the API and migration pods.
 */
export class EksCluster extends Construct {
  public readonly cluster: eks.Cluster;
  public readonly nodegroup: eks.Nodegroup;
  public readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const { config, vpc } = props;
    const sizing = EKS_SIZING[config.envName];
    this.clusterName = eksClusterName(config.envName);

    const version = eks.KubernetesVersion.of(EKS_KUBERNETES_VERSION);
    this.cluster = new eks.Cluster(this, "Cluster", {
      clusterName: this.clusterName,
      version,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: {
        kubectlLayer: new KubectlV34Layer(this, "KubectlLayer"),
        privateSubnets: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets,
      },
      albController: { version: eks.AlbControllerVersion.V3_2_2 },
    });
    new logs.LogGroup(this, "ControlPlaneLogs", {
      // EKS writes control-plane logs here; created by us to set the retention.
      logGroupName: `/aws/eks/${this.clusterName}/cluster`,
      retention: config.api.logRetentionDays as logs.RetentionDays,
    });
    // Security groups for pods: the VPC resource controller attaches branch ENIs.
    this.cluster.role.addManagedPolicy(
      iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonEKSVPCResourceController"),
    );

    this.nodegroup = this.cluster.addNodegroupCapacity("Nodes", {
      nodegroupName: `coleta-${config.envName}-graviton`,
      instanceTypes: [new ec2.InstanceType(sizing.instanceType)],
      amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
      minSize: sizing.minNodes,
      desiredSize: sizing.desiredNodes,
      maxSize: sizing.maxNodes,
      diskSize: sizing.diskGiB,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    for (const [name, configuration] of Object.entries(EKS_ADDONS)) {
      const addon = new eks.CfnAddon(this, `Addon-${name}`, {
        clusterName: this.clusterName,
        addonName: name,
        // EKS installs vpc-cni, coredns and kube-proxy itself; the add-on takes them over.
        resolveConflicts: "OVERWRITE",
        ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
      });
      addon.node.addDependency(this.cluster);
      if (name !== "vpc-cni" && name !== "eks-pod-identity-agent") addon.node.addDependency(this.nodegroup);
    }

    // External Secrets Operator; it reads AWS with the Pod Identity role of eks-access.ts.
    this.cluster.addHelmChart("ExternalSecrets", {
      ...EXTERNAL_SECRETS_CHART,
      release: "external-secrets",
      namespace: EXTERNAL_SECRETS.namespace,
      createNamespace: true,
      values: { serviceAccount: { name: EXTERNAL_SECRETS.serviceAccount }, installCRDs: true },
    });

    // Only the API and migration pods carry the groups RDS and ElastiCache admit (plus the
    // cluster group for DNS, kubelet probes and the control plane); nodes and every other pod do
    // not, whatever NetworkPolicies say. Applied here because the group ids exist only in AWS.
    const namespace = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: NAMESPACES.api },
    };
    const policy = (app: string, group: ec2.ISecurityGroup) => ({
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: app, namespace: NAMESPACES.api },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": app } },
        securityGroups: { groupIds: [group.securityGroupId, this.cluster.clusterSecurityGroupId] },
      },
    });
    this.cluster.addManifest(
      "PodSecurityGroups",
      namespace,
      policy(API_APP, props.apiSecurityGroup),
      policy(MIGRATE_APP, props.migrationSecurityGroup),
    );

    acknowledge(
      this.cluster,
      "AwsSolutions-EKS1",
      "The API server endpoint is public so that the two teams and CI can run kubectl without a VPN; every request is authenticated by IAM (access entries scoped to one namespace per team). Restrict it with endpointAccess.onlyFrom(<office CIDRs>) where the addresses are known.",
    );
    this.acknowledgeGeneratedIam();
  }

  /**
   * cdk-nag findings on IAM that aws-cdk-lib generates for EKS, acknowledged one by one (a new
   * managed policy or wildcard fails the synth until someone reads it).
   */
  private acknowledgeGeneratedIam(): void {
    const managed = (name: string) =>
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
    const eksManaged =
      "AWS managed policies that EKS documents as required for this role (cluster, node group); they follow EKS' own needs as it changes.";
    for (const name of ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]) {
      acknowledge(this.cluster.role, managed(name), eksManaged);
    }
    for (const name of [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
    ]) {
      acknowledge(this.nodegroup.role, managed(name), eksManaged);
    }
    const provider = this.cluster.node.tryFindChild("KubectlProvider");
    if (provider) {
      const lambdaManaged =
        "The CDK kubectl provider's functions run in the VPC with AWS managed Lambda execution policies (logs, ENIs) and pull the kubectl image; aws-cdk-lib defines them.";
      for (const name of [
        "service-role/AWSLambdaBasicExecutionRole",
        "service-role/AWSLambdaVPCAccessExecutionRole",
        "AmazonEC2ContainerRegistryReadOnly",
      ]) {
        acknowledge(provider, managed(name), lambdaManaged);
      }
      const hasEcrPublic = provider.node
        .findAll()
        .find((c) => c instanceof CfnCondition && c.node.id === "HasEcrPublic");
      if (hasEcrPublic) {
        const id = Stack.of(this).getLogicalId(hasEcrPublic as CfnCondition);
        acknowledge(
          provider,
          `AwsSolutions-IAM4[Policy::{"Fn::If":["${id}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`,
          lambdaManaged,
        );
      }
      acknowledge(
        provider,
        "AwsSolutions-L1",
        "The kubectl handler's runtime is pinned by aws-cdk-lib to what its kubectl/helm layer supports; it moves forward with aws-cdk-lib upgrades.",
      );
      const handler = provider.node.tryFindChild("Handler") as lambda.Function | undefined;
      if (handler) {
        const handlerId = Stack.of(this).getLogicalId(handler.node.defaultChild as lambda.CfnFunction);
        acknowledge(
          provider,
          `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
          "The custom-resource framework invokes any version of the kubectl handler function (its own function only).",
        );
      }
    }
    const alb = this.cluster.albController;
    if (alb) {
      const reason =
        "The AWS Load Balancer Controller's published IAM policy (aws-cdk-lib ships it per controller version): Describe* calls do not support resource-level permissions, and the create/modify/delete actions on load balancers, target groups, listeners and security groups are conditioned on the elbv2.k8s.aws/cluster tag.";
      for (const resource of [
        "*",
        "arn:<AWS::Partition>:ec2:*:*:security-group/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/app/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/net/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:targetgroup/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/app/*/*/*",
        "arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/net/*/*/*",
      ]) {
        acknowledge(alb, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
      }
    }
  }
}
