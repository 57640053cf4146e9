import { ArnFormat, Stack } from "aws-cdk-lib";
import * as eks from "aws-cdk-lib/aws-eks-v2";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import {
  API_SERVICE_ACCOUNT,
  authSecretName,
  cacheAuthTokenSecretName,
  EKS_PARAMETER_SETTINGS,
  EXTERNAL_SECRETS,
  eksSettingParameter,
  NAMESPACES,
  TEAM_GROUPS,
} from "../../../../deploy/kubernetes/src/contract.js";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { AuthSecret } from "./api-secrets.js";
import { grantApiBucketAccess } from "./buckets.js";
import type { ColetaConstructProps } from "./construct-props.js";
import { databaseSecretName } from "./database.js";

export interface EksAccessProps extends ColetaConstructProps {
  readonly clusterName: string;
  /** Depended on: associations and access entries need the cluster. */
  readonly cluster: eks.Cluster;
  /** Principals of CI's deploy roles (Cicd stack), mapped like the teams they deploy for. */
  readonly deployRoleArns: { readonly api: string; readonly web: string };
}

/** The view access policy, scoped to one namespace; the team Roles of deploy/kubernetes add the rest. */
const VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/**
 * Who may do what:
 * - Pod Identity: the API's service account may use the uploads/exports buckets (as the ECS task
 *   role); External Secrets' controller may read this environment's API secrets and settings only.
 * - Access entries: each team's IAM role (and CI's deploy role for that team) is in the team's
 *   Kubernetes group, bound to the team Role in its namespace, and may view that namespace only.
 */
export class EksAccess extends Construct {
  public readonly apiRole: iam.Role;
  public readonly externalSecretsRole: iam.Role;
  public readonly teamRoles: Record<keyof typeof TEAM_GROUPS, iam.Role>;

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const { config, clusterName } = props;
    const env = config.envName;
    const stack = Stack.of(this);
    const podsPrincipal = () =>
      new iam.SessionTagsPrincipal(new iam.ServicePrincipal("pods.eks.amazonaws.com"));

    this.apiRole = new iam.Role(this, "ApiPodRole", {
      roleName: `coleta-${env}-eks-api`,
      description: "Coleta API pods (Pod Identity): read/write the uploads and exports buckets only",
      assumedBy: podsPrincipal(),
    });
    grantApiBucketAccess(this.apiRole, config);

    this.externalSecretsRole = new iam.Role(this, "ExternalSecretsRole", {
      roleName: `coleta-${env}-eks-external-secrets`,
      description: "External Secrets Operator (Pod Identity): read the Coleta API's secrets and settings",
      assumedBy: podsPrincipal(),
    });
    const secretNames = [
      databaseSecretName(env, "admin"),
      databaseSecretName(env, "migrator"),
      databaseSecretName(env, "app"),
      cacheAuthTokenSecretName(env),
      authSecretName(env),
    ];
    const read = (actions: string[], resources: string[]) =>
      this.externalSecretsRole.addToPolicy(new iam.PolicyStatement({ actions, resources }));
    read(
      ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      // Secrets Manager appends "-<6 random characters>" to every secret's ARN.
      secretNames.map((n) =>
        stack.formatArn({
          service: "secretsmanager",
          resource: "secret",
          resourceName: `${n}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    );
    read(
      ["ssm:GetParameter", "ssm:GetParameters"],
      EKS_PARAMETER_SETTINGS.map((setting) =>
        stack.formatArn({
          service: "ssm",
          resource: "parameter",
          resourceName: eksSettingParameter(env, setting).slice(1),
        }),
      ),
    );
    acknowledge(
      this.externalSecretsRole,
      "AwsSolutions-IAM5",
      "Secrets Manager ARNs end in a random 6-character suffix; the `-??????` pattern matches exactly the five named secrets of this environment and nothing else.",
    );

    for (const [role, serviceAccount, namespace] of [
      [this.apiRole, API_SERVICE_ACCOUNT, NAMESPACES.api],
      [this.externalSecretsRole, EXTERNAL_SECRETS.serviceAccount, EXTERNAL_SECRETS.namespace],
    ] as const) {
      const association = new eks.CfnPodIdentityAssociation(
        this,
        `PodIdentity-${namespace}-${serviceAccount}`,
        {
          clusterName,
          namespace,
          serviceAccount,
          roleArn: role.roleArn,
        },
      );
      association.node.addDependency(props.cluster);
    }

    const teamRole = (team: keyof typeof TEAM_GROUPS) =>
      new iam.Role(this, `TeamRole-${team}`, {
        roleName: `coleta-${env}-k8s-${team}-team`,
        description: `Coleta ${team} team: kubectl in namespace ${NAMESPACES[team]} of ${clusterName}`,
        // People of this account with permission to assume it (SSO permission set, IAM group).
        assumedBy: new iam.AccountRootPrincipal(),
      });
    this.teamRoles = { api: teamRole("api"), web: teamRole("web") };
    for (const team of ["api", "web"] as const) {
      const teamRoleRef = this.teamRoles[team];
      teamRoleRef.addToPolicy(
        new iam.PolicyStatement({
          actions: ["eks:DescribeCluster"],
          resources: [stack.formatArn({ service: "eks", resource: "cluster", resourceName: clusterName })],
        }),
      );
      for (const [who, principalArn] of [
        ["people", teamRoleRef.roleArn],
        ["ci", props.deployRoleArns[team]],
      ] as const) {
        const entry = new eks.CfnAccessEntry(this, `Access-${team}-${who}`, {
          clusterName,
          principalArn,
          type: "STANDARD",
          kubernetesGroups: [TEAM_GROUPS[team]],
          accessPolicies: [
            { policyArn: VIEW_POLICY, accessScope: { type: "namespace", namespaces: [NAMESPACES[team]] } },
          ],
        });
        entry.node.addDependency(props.cluster);
      }
    }
  }
}

/** AUTH_SECRET of the API on EKS (the App stack creates it on ECS). */
export function eksAuthSecret(scope: Construct, config: ColetaConfig): AuthSecret {
  return new AuthSecret(scope, "AuthSecret", {
    env: config.envName,
    rotation:
      "Running pods only read it at start: rotate deliberately (new value, then kubectl rollout restart), see docs/kubernetes.md.",
  });
}
