import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { prodConfig } from "../config/prod.js";
import { resources, type Synthesized, synthEnv } from "./helpers.js";

let t: Synthesized["templates"];
beforeAll(() => {
  t = synthEnv("prod").templates;
});

describe("prod differs from dev where it matters", () => {
  it("spans 3 AZs with one NAT gateway per AZ", () => {
    t.network.resourceCountIs("AWS::EC2::Subnet", 9);
    t.network.resourceCountIs("AWS::EC2::NatGateway", prodConfig.network.natGateways);
    expect(prodConfig.network.natGateways).toBe(3);
  });

  it("runs the database Multi-AZ with deletion protection, 30-day backups and Database Insights", () => {
    t.data.hasResourceProperties("AWS::RDS::DBInstance", {
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 30,
      StorageEncrypted: true,
      // Standard mode: the free 7 days of database load (Performance Insights' free tier).
      DatabaseInsightsMode: "standard",
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
      MonitoringInterval: 60,
    });
    const db = Object.values(t.data.findResources("AWS::RDS::DBInstance"))[0] as { DeletionPolicy?: string };
    expect(db.DeletionPolicy).toBe("Retain");
  });

  it("runs the cache on two nodes with automatic failover and Multi-AZ", () => {
    t.data.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", {
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
  });

  it("scales the API between the prod min/max and protects the ALB from deletion", () => {
    t.app.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", {
      MinCapacity: prodConfig.api.minTasks,
      MaxCapacity: prodConfig.api.maxTasks,
    });
    t.app.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      LoadBalancerAttributes: Match.arrayWith([{ Key: "deletion_protection.enabled", Value: "true" }]),
    });
  });

  it("alarms on the memory of every cache node for the platform owner", () => {
    const names = Object.values(resources(t.monitoring, "AWS::CloudWatch::Alarm"))
      .map((a) => String(a.Properties?.AlarmName))
      .filter((n) => n.includes("CacheMemory"));
    expect(names.sort()).toEqual([
      "coleta-prod-platform-CacheMemory-coleta-prod-001",
      "coleta-prod-platform-CacheMemory-coleta-prod-002",
    ]);
  });

  it("limits the GitHub roles to the prod environment", () => {
    t.cicd.hasResourceProperties("AWS::IAM::Role", {
      RoleName: "coleta-prod-github-deploy-backend",
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Condition: Match.objectLike({
              StringEquals: Match.objectLike({
                "token.actions.githubusercontent.com:sub": [
                  `repo:${prodConfig.github.repository}:environment:prod`,
                ],
              }),
            }),
          }),
        ],
      }),
    });
  });
});
