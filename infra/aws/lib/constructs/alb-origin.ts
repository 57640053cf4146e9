import { Duration } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { HEALTH_CHECK_PATH } from "./api-paths.js";
import { ORIGIN_VERIFY_HEADER, OriginVerifySecret } from "./api-secrets.js";
import type { InVpcProps } from "./construct-props.js";
import { API_PORT } from "./firewall.js";

export interface AlbOriginProps extends InVpcProps {
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly publicZone: route53.IHostedZone;
  readonly logsBucket: s3.IBucket;
  /** The stack to redeploy (with Edge) after a new origin-verify value: "App" or "Eks". */
  readonly stackName: string;
  /** A fixed target group name, for a controller that finds the group by name (EKS). */
  readonly targetGroupName?: string;
}

/**
 * The origin CloudFront sends /backend to when the API runs behind a load balancer (ECS and EKS):
 * an internet-facing ALB that only CloudFront can use, with two independent locks:
 * 1. network: the ALB security group admits 443 only from the CloudFront origin-facing prefix list
 *    (Firewall);
 * 2. application: the HTTPS listener answers 403 unless the request carries the secret
 *    X-Origin-Verify header that only our distribution sends (value generated in Secrets Manager).
 * CloudFront -> ALB is HTTPS (certificate for origin.<domain>), so neither the header nor the
 * users' form data cross the internet in clear text. The API's tasks or pods (port API_PORT,
 * registered by IP) join `targetGroup`.
 */
export class AlbOrigin extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly originVerifySecret: OriginVerifySecret;
  /** origin.<domain>: the ALB's public name, covered by its certificate. */
  public readonly originDomainName: string;

  constructor(scope: Construct, id: string, props: AlbOriginProps) {
    super(scope, id);
    const { config, vpc } = props;
    const env = config.envName;
    this.originDomainName = `origin.${config.domainName}`;

    const certificate = new acm.Certificate(this, "OriginCertificate", {
      domainName: this.originDomainName,
      validation: acm.CertificateValidation.fromDns(props.publicZone),
    });
    this.originVerifySecret = new OriginVerifySecret(this, "OriginVerify", {
      env,
      checkedBy: "the ALB",
      rotation: `The origin-verify header value is resolved into CloudFront and the ALB listener at deploy time; a Lambda rotation would break the origin until both are redeployed. Rotate by generating a new value and redeploying ${props.stackName} and Edge.`,
    });

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
      ...(props.targetGroupName ? { targetGroupName: props.targetGroupName } : {}),
      port: API_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      // Task or pod IPs: Fargate tasks and VPC CNI pods each have their own address.
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
          this.originVerifySecret.secretValueFromJson("value").unsafeUnwrap(),
        ]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
  }
}
