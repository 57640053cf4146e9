import { environmentConfig } from "./base.js";

/** Production: 3 AZs, one NAT per AZ, Multi-AZ database with deletion protection, 30-day backups. */
export const prodConfig = environmentConfig("prod", {
  account: "222222222222", // SET ME: your prod AWS account id
  domainName: "coleta.example.com", // SET ME
  network: {
    cidr: "10.20.0.0/16",
    // Explicit AZs: no context lookup at synth time. Must have 3 entries.
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    natGateways: 3,
    flowLogRetentionDays: 90,
  },
  edge: { priceClass: "PriceClass_All", publicApiRateLimitPer5Min: 1000 },
  api: {
    image: { source: "promote", from: "dev" }, // the digest that ran in dev, copied as is
    cpu: 1024,
    memoryMiB: 2048,
    minTasks: 2,
    maxTasks: 10,
    logRetentionDays: 365,
    logLevel: "info",
    signupMode: "invite-only",
    databasePoolSize: 20,
  },
  database: {
    instanceType: "m7g.large",
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 500,
    multiAz: true,
    deletionProtection: true,
    backupRetentionDays: 30,
    databaseInsights: "standard", // free 7-day database load, as the Performance Insights free tier was
    enhancedMonitoringIntervalSeconds: 60,
    freeStorageAlarmGiB: 20,
    connectionsAlarmThreshold: 400,
  },
  cache: { nodeType: "cache.m7g.large", nodes: 2, snapshotRetentionDays: 7 },
  storage: { logRetentionDays: 365 },
  alerts: {
    backend: ["backend-team@example.com", "backend-oncall@example.com"], // SET ME
  },
  monitoring: { wafBlockedRequestsPer5Min: 2000 },
  budget: { monthlyLimitUsd: 1500 },
  github: { environment: "prod" },
});
