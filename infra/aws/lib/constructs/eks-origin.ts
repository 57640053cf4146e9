import { Duration } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { eksTargetGroupName } from "../../../../deploy/kubernetes/src/contract.js";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { HEALTH_CHECK_PATH, ORIGIN_VERIFY_HEADER } from "./api.js";
import { API_PORT } from "./firewall.js";

export interface EksOriginProps {
  readonly config: ColetaConfig;
  readonly vpc: ec2.IVpc;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly publicZone: route53.IHostedZone;
  readonly logsBucket: s3.IBucket;
}

/**
 * The origin CloudFront sends /backend to, for the EKS variant: the same two locks as the ECS
 * origin (lib/constructs/api.ts): the ALB security group admits only CloudFront's origin-facing
 * prefix list, and the HTTPS listener answers 403 without the secret X-Origin-Verify header.
 *
 * The ALB and its target group are created here, not by an Ingress: CloudFront needs the origin's
 * name when this app is synthesized, and cdk-nag checks the ALB like any other. The AWS Load
 * Balancer Controller registers the API pods in the target group through the TargetGroupBinding of
 * deploy/kubernetes (by the target group's name, eksTargetGroupName).
 */
export class EksOrigin extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly originDomainName: string;
  public readonly originVerifySecretName: string;

  constructor(scope: Construct, id: string, props: EksOriginProps) {
    super(scope, id);
    const { config, vpc } = props;
    const env = config.envName;
    this.originDomainName = `origin.${config.domainName}`;
    this.originVerifySecretName = `coleta/${env}/origin-verify`;

    const certificate = new acm.Certificate(this, "OriginCertificate", {
      domainName: this.originDomainName,
      validation: acm.CertificateValidation.fromDns(props.publicZone),
    });
    const originVerify = new secretsmanager.Secret(this, "OriginVerify", {
      secretName: this.originVerifySecretName,
      description: "Shared secret CloudFront sends to the ALB in the X-Origin-Verify header",
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "value",
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    acknowledge(
      originVerify,
      "AwsSolutions-SMG4",
      "The origin-verify header value is resolved into CloudFront and the ALB listener at deploy time; a Lambda rotation would break the origin until both are redeployed. Rotate by generating a new value and redeploying Eks and Edge.",
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: env === "prod",
    });
    this.loadBalancer.logAccessLogs(props.logsBucket, "alb");
    new route53.ARecord(this, "OriginRecord", {
      zone: props.publicZone,
      recordName: "origin",
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      comment: "ALB origin of CloudFront (only reachable from CloudFront)",
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, "ApiTargets", {
      vpc,
      targetGroupName: eksTargetGroupName(env),
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      // Pod IPs (VPC CNI): the controller registers each ready API pod.
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: HEALTH_CHECK_PATH,
        healthyHttpCodes: "200",
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    const listener = this.loadBalancer.addListener("Https", {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(403, {
        contentType: "text/plain",
        messageBody: "Forbidden",
      }),
    });
    listener.addAction("FromCloudFront", {
      priority: 10,
      conditions: [
        elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [
          originVerify.secretValueFromJson("value").unsafeUnwrap(),
        ]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
  }
}
