import { environmentConfig } from "./base.js";

/** Development environment: small, single-NAT, single-AZ database, no deletion protection. */
export const devConfig = environmentConfig("dev", {
  account: "111111111111", // SET ME: your dev AWS account id
  domainName: "dev.coleta.example.com", // SET ME
  network: {
    cidr: "10.10.0.0/16",
    // Explicit AZs: no context lookup at synth time. Must have 2 entries.
    availabilityZones: ["us-east-1a", "us-east-1b"],
    natGateways: 1,
    flowLogRetentionDays: 30,
  },
  edge: { priceClass: "PriceClass_100", publicApiRateLimitPer5Min: 500 },
  api: {
    image: { source: "build" },
    cpu: 512,
    memoryMiB: 1024,
    minTasks: 1,
    maxTasks: 2,
    logRetentionDays: 30,
    logLevel: "debug",
    signupMode: "open",
    databasePoolSize: 10,
  },
  database: {
    instanceType: "t4g.micro",
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: false,
    deletionProtection: false,
    backupRetentionDays: 7,
    databaseInsights: "off", // as before (Performance Insights was off); "standard" is free if wanted
    enhancedMonitoringIntervalSeconds: 0,
    freeStorageAlarmGiB: 4,
    connectionsAlarmThreshold: 60,
  },
  cache: { nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1 },
  storage: { logRetentionDays: 30 },
  monitoring: { wafBlockedRequestsPer5Min: 500 },
  budget: { monthlyLimitUsd: 150 },
  github: { environment: "dev" },
});
