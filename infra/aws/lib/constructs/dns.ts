import type * as ec2 from "aws-cdk-lib/aws-ec2";
import * as route53 from "aws-cdk-lib/aws-route53";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";

export interface DnsProps {
  readonly config: ColetaConfig;
  readonly vpc: ec2.IVpc;
}

/**
 * One public name for the app (created or imported zone) and a private zone with the same name,
 * attached to the VPC, for internal records (db.<domain>, cache.<domain>).
 *
 * Split horizon: inside the VPC the private zone answers for <domain>, so only records that exist
 * in it resolve there. The API never needs to resolve its own public name.
 */
export class Dns extends Construct {
  public readonly publicZone: route53.IHostedZone;
  public readonly privateZone: route53.PrivateHostedZone;

  constructor(scope: Construct, id: string, props: DnsProps) {
    super(scope, id);
    const { config } = props;

    this.publicZone =
      config.hostedZone.mode === "create"
        ? new route53.PublicHostedZone(this, "PublicZone", {
            zoneName: config.domainName,
            comment: `Coleta ${config.envName}: public name of the app`,
          })
        : route53.PublicHostedZone.fromHostedZoneAttributes(this, "PublicZone", {
            hostedZoneId: config.hostedZone.hostedZoneId,
            zoneName: config.domainName,
          });

    this.privateZone = new route53.PrivateHostedZone(this, "PrivateZone", {
      zoneName: config.domainName,
      vpc: props.vpc,
      comment: `Coleta ${config.envName}: internal names (db, cache) visible only inside the VPC`,
    });
  }
}
