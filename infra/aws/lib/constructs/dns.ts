import * as route53 from "aws-cdk-lib/aws-route53";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import type { InVpcProps } from "./construct-props.js";

/** The label of the internal zone under the app's domain: internal.<domain>. */
export const INTERNAL_LABEL = "internal";
export const internalDomainName = (config: Pick<ColetaConfig, "domainName">) =>
  `${INTERNAL_LABEL}.${config.domainName}`;

/**
 * Two zones, no split horizon:
 *
 * - public zone `<domain>` (created or imported): the app (`<domain>`, CloudFront), its origin
 *   (`origin.<domain>`, the ALB) and the certificate validation records. Resolves the same
 *   everywhere, inside the VPC too;
 * - private zone `internal.<domain>`, attached to the VPC: `db.internal.<domain>` and
 *   `cache.internal.<domain>` (CNAMEs to the RDS and ElastiCache endpoints). Nothing resolves it
 *   from outside the VPC, and the public zone does not delegate it.
 *
 * Why not a private zone named `<domain>` (as before): a VPC that has a private zone for a name
 * asks only that zone for it and everything under it, so inside the VPC `<domain>`,
 * `origin.<domain>` and any other public record stopped resolving. Why not a private zone named
 * exactly `db.<domain>`: the database needs a CNAME (its address changes on failover), and DNS
 * allows no CNAME at a zone apex (Route 53 alias records cannot target an RDS endpoint either).
 */
export class Dns extends Construct {
  public readonly publicZone: route53.IHostedZone;
  /** internal.<domain>, attached to the VPC. */
  public readonly privateZone: route53.PrivateHostedZone;

  constructor(scope: Construct, id: string, props: InVpcProps) {
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

    this.privateZone = new route53.PrivateHostedZone(this, "InternalZone", {
      zoneName: internalDomainName(config),
      vpc: props.vpc,
      comment: `Coleta ${config.envName}: internal names (db, cache) visible only inside the VPC`,
    });
  }
}
