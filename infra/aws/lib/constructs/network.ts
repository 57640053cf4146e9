import { RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { ColetaConstructProps } from "./construct-props.js";

/**
 * VPC with three subnet tiers per AZ:
 * - public: ALB and NAT gateways only;
 * - private (with egress through NAT): Fargate tasks and the secret-rotation Lambda;
 * - isolated (no route to the internet): RDS and ElastiCache.
 * Flow logs (all traffic) go to CloudWatch Logs; S3 traffic uses a free gateway endpoint.
 */
export class Network extends Construct {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: ColetaConstructProps) {
    super(scope, id);
    const { network } = props.config;

    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(network.cidr),
      availabilityZones: [...network.availabilityZones],
      natGateways: network.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: "isolated", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
    });

    const flowLogGroup = new logs.LogGroup(this, "FlowLogs", {
      retention: network.flowLogRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog("FlowLog", {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
