import { Stack } from "aws-cdk-lib";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import {
  EKS_PARAMETER_SETTINGS,
  eksSettingParameter,
  eksTargetGroupName,
} from "../../../../deploy/kubernetes/src/contract.js";
import { AlbOrigin } from "../constructs/alb-origin.js";
import { EksAccess, eksAuthSecret } from "../constructs/eks-access.js";
import { EksCluster } from "../constructs/eks-cluster.js";
import { githubRoleNames } from "../constructs/github-deploy.js";
import type { OnDataStackProps } from "./data-stack.js";

/**
 * The API on EKS (`-c compute=eks`), in place of the App stack: the cluster, the ALB origin of
 * CloudFront, Pod Identity and access entries, and the AWS-side settings External Secrets copies
 * into the cluster. The workloads themselves are the manifests of deploy/kubernetes (dist/eks/<env>).
 */
export class EksStack extends Stack {
  public readonly cluster: EksCluster;
  public readonly access: EksAccess;
  /** CloudFront's /backend origin, as on ECS. */
  public readonly origin: AlbOrigin;

  constructor(scope: Construct, id: string, props: OnDataStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    const { firewall } = networkStack;
    const vpc = networkStack.network.vpc;

    // The ALB and its target group are created here, not by an Ingress: CloudFront needs the
    // origin's name when this app is synthesized, and cdk-nag checks the ALB like any other. The AWS
    // Load Balancer Controller registers the API pods in the target group through the
    // TargetGroupBinding of deploy/kubernetes, which names the group (eksTargetGroupName).
    this.origin = new AlbOrigin(this, "Origin", {
      config,
      vpc,
      albSecurityGroup: firewall.alb,
      publicZone: networkStack.dns.publicZone,
      logsBucket: dataStack.buckets.logs,
      stackName: "Eks",
      targetGroupName: eksTargetGroupName(config.envName),
    });
    this.cluster = new EksCluster(this, "Eks", {
      config,
      vpc,
      apiSecurityGroup: firewall.api,
      migrationSecurityGroup: firewall.migration,
    });
    const roleArn = (name: string) =>
      this.formatArn({ service: "iam", region: "", resource: "role", resourceName: name });
    const roles = githubRoleNames(config.envName);
    this.access = new EksAccess(this, "Access", {
      config,
      clusterName: this.cluster.clusterName,
      cluster: this.cluster.cluster,
      deployRoleArns: { api: roleArn(roles.deployBackend), web: roleArn(roles.deployFrontend) },
    });
    eksAuthSecret(this, config);

    // Settings only AWS knows (endpoints), for External Secrets (deploy/kubernetes/src/charts/secrets.ts).
    const database = dataStack.database.connection;
    const cache = dataStack.cache.connection;
    const values: Record<(typeof EKS_PARAMETER_SETTINGS)[number], string> = {
      DATABASE_HOST: database.host,
      DATABASE_PORT: database.port,
      DATABASE_NAME: database.name,
      DATABASE_SSL_SERVERNAME: database.serverName,
      REDIS_HOST: cache.host,
      REDIS_PORT: cache.port,
    };
    const settings = new Construct(this, "Settings");
    for (const name of EKS_PARAMETER_SETTINGS) {
      new ssm.StringParameter(settings, name, {
        parameterName: eksSettingParameter(config.envName, name),
        stringValue: values[name],
        description: `Coleta API setting ${name} (EKS, read by External Secrets)`,
      });
    }
  }
}
