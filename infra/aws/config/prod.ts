import type { ColetaConfig } from "./types.js";

/** Production: 3 AZs, one NAT per AZ, Multi-AZ database with deletion protection, 30-day backups. */
export const prodConfig: ColetaConfig = {
  envName: "prod",
  account: "222222222222", // SET ME: your prod AWS account id
  region: "us-east-1",
  domainName: "coleta.example.com", // SET ME
  hostedZone: { mode: "create" },
  cloudFrontOriginFacingPrefixListId: "pl-3b927c52",
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
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 1000,
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
    credentialRotationDays: 30,
    freeStorageAlarmGiB: 20,
    connectionsAlarmThreshold: 400,
  },
  cache: { nodeType: "cache.m7g.large", nodes: 2, port: 6380, snapshotRetentionDays: 7 },
  storage: { logRetentionDays: 365, exportsIntelligentTieringDays: 30 },
  alerts: {
    frontend: ["frontend-team@example.com"], // SET ME
    backend: ["backend-team@example.com", "backend-oncall@example.com"], // SET ME
    platform: ["platform-owner@example.com"], // SET ME
    monitoring: ["monitoring-team@example.com"], // SET ME: receives every alarm of every team
    // SET ME: whom the monitoring team calls (shown on the dashboard coleta-prod-status and in alarms).
    contacts: {
      frontend: { name: "Frontend on call", phone: "+00 00 0000-0001", chat: "#coleta-frontend" },
      backend: { name: "Backend on call", phone: "+00 00 0000-0002", chat: "#coleta-backend" },
      platform: { name: "Platform on call", phone: "+00 00 0000-0003", chat: "#coleta-platform" },
    },
  },
  monitoring: {
    // SET ME: link name of the published health-check form (one optional short text question).
    healthCheckFormSlug: "health-check",
    wafBlockedRequestsPer5Min: 2000,
  },
  budget: { monthlyLimitUsd: 1500, actualThresholdsPercent: [80, 100], forecastThresholdPercent: 100 },
  github: {
    repository: "coleta-org/coleta", // SET ME
    environment: "prod",
    // "import" if the account already has GitHub's OIDC provider (e.g. it shares one with dev)
    oidcProvider: "create",
  },
};
