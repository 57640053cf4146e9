import * as ec2 from "aws-cdk-lib/aws-ec2";
import { Construct } from "constructs";
import type { InVpcProps } from "./construct-props.js";

export const API_PORT = 3000;
export const POSTGRES_PORT = 5432;

/**
 * All security groups and every rule between them, in one place (the "firewall" of the diagram):
 *
 *   CloudFront origin-facing prefix list --443--> alb --3000--> api --5432--> db
 *                                                               api --6380--> cache
 *   migration task --5432--> db          secret-rotation Lambdas (master, migrator, app) --5432--> db
 *   api / migration / rotation --443--> AWS APIs (through NAT / S3 gateway endpoint)
 *
 * No group allows inbound traffic from 0.0.0.0/0 or ::/0; egress is restricted as well.
 */
export class Firewall extends Construct {
  public readonly alb: ec2.SecurityGroup;
  public readonly api: ec2.SecurityGroup;
  public readonly migration: ec2.SecurityGroup;
  public readonly rotation: ec2.SecurityGroup;
  public readonly database: ec2.SecurityGroup;
  public readonly cache: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: InVpcProps) {
    super(scope, id);
    const { vpc, config } = props;
    const cachePort = config.cache.port;
    const sg = (name: string, description: string) =>
      new ec2.SecurityGroup(this, name, { vpc, description, allowAllOutbound: false });

    this.alb = sg("Alb", "Coleta ALB: HTTPS only from CloudFront origin-facing IPs");
    this.api = sg("Api", "Coleta API Fargate tasks");
    this.migration = sg("Migration", "Coleta one-off database migration task");
    this.rotation = sg("Rotation", "Secrets Manager rotation Lambda for the database secret");
    this.database = sg("Database", "Coleta PostgreSQL: only API, migration task and rotation Lambda");
    this.cache = sg("Cache", "Coleta Valkey cache: only the API");

    // Edge -> ALB: only CloudFront. The prefix list counts as ~55 rules of the 60-rule quota,
    // so the ALB group deliberately holds this single ingress rule.
    this.alb.addIngressRule(
      ec2.Peer.prefixList(config.cloudFrontOriginFacingPrefixListId),
      ec2.Port.tcp(443),
      "HTTPS from CloudFront origin-facing servers only",
    );
    this.alb.addEgressRule(this.api, ec2.Port.tcp(API_PORT), "Forward to API tasks");

    this.api.addIngressRule(this.alb, ec2.Port.tcp(API_PORT), "HTTP from the ALB");

    // Database: exactly three sources.
    for (const [source, label] of [
      [this.api, "API tasks"],
      [this.migration, "migration task"],
      [this.rotation, "secret rotation Lambda"],
    ] as const) {
      this.database.addIngressRule(source, ec2.Port.tcp(POSTGRES_PORT), `PostgreSQL from ${label}`);
      source.addEgressRule(this.database, ec2.Port.tcp(POSTGRES_PORT), "PostgreSQL to the database");
    }

    this.cache.addIngressRule(this.api, ec2.Port.tcp(cachePort), "Valkey TLS from API tasks");
    this.api.addEgressRule(this.cache, ec2.Port.tcp(cachePort), "Valkey TLS to the cache");

    // AWS APIs (ECR, CloudWatch Logs, Secrets Manager, SSM, S3) over HTTPS via NAT / S3 endpoint.
    for (const group of [this.api, this.migration, this.rotation]) {
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS to AWS service endpoints");
    }
  }
}
