import { Stack } from "aws-cdk-lib";
import * as ssm from "aws-cdk-lib/aws-ssm";
import { Construct } from "constructs";
import { EKS_PARAMETER_SETTINGS, eksSettingParameter } from "../../../../deploy/kubernetes/src/contract.js";
import { EksAccess, eksAuthSecret } from "../constructs/eks-access.js";
import { EksCluster } from "../constructs/eks-cluster.js";
import { EksOrigin } from "../constructs/eks-origin.js";
import { githubRoleNames } from "../constructs/github-deploy.js";
import type { DataStack } from "./data-stack.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

export interface EksStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
  readonly dataStack: DataStack;
}

/**
 * The API on EKS (`-c compute=eks`), in place of the App stack: the cluster, the ALB origin of
 * CloudFront, Pod Identity and access entries, and the AWS-side settings External Secrets copies
 * into the cluster. The workloads themselves are the manifests of deploy/kubernetes (dist/eks/<env>).
 */
export class EksStack extends Stack {
  public readonly cluster: EksCluster;
  public readonly access: EksAccess;
  /** What the Edge stack needs of an API origin (same shape as AppStack.api). */
  public readonly api: EksOrigin;

  constructor(scope: Construct, id: string, props: EksStackProps) {
    super(scope, id, props);
    const { config, networkStack, dataStack } = props;
    const { firewall } = networkStack;
    const vpc = networkStack.network.vpc;

    this.api = new EksOrigin(this, "Origin", {
      config,
      vpc,
      albSecurityGroup: firewall.alb,
      publicZone: networkStack.dns.publicZone,
      logsBucket: dataStack.buckets.logs,
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
    const values: Record<(typeof EKS_PARAMETER_SETTINGS)[number], string> = {
      DATABASE_HOST: database.host,
      DATABASE_PORT: database.port,
      DATABASE_NAME: database.name,
      DATABASE_SSL_SERVERNAME: database.serverName,
      REDIS_HOST: dataStack.cache.replicationGroup.attrPrimaryEndPointAddress,
      REDIS_PORT: String(dataStack.cache.port),
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
