import type { ColetaConfig } from "./types.js";

/** Development environment: small, single-NAT, single-AZ database, no deletion protection. */
export const devConfig: ColetaConfig = {
  envName: "dev",
  account: "111111111111", // SET ME: your dev AWS account id
  region: "us-east-1",
  domainName: "dev.coleta.example.com", // SET ME
  hostedZone: { mode: "create" },
  cloudFrontOriginFacingPrefixListId: "pl-3b927c52",
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
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 1000,
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
    credentialRotationDays: 30,
    freeStorageAlarmGiB: 4,
    connectionsAlarmThreshold: 60,
  },
  cache: { nodeType: "cache.t4g.micro", nodes: 1, port: 6380, snapshotRetentionDays: 1 },
  storage: { logRetentionDays: 30, exportsIntelligentTieringDays: 30 },
  alerts: {
    frontend: ["frontend-team@example.com"], // SET ME
    backend: ["backend-team@example.com"], // SET ME
    platform: ["platform-owner@example.com"], // SET ME
    monitoring: ["monitoring-team@example.com"], // SET ME: receives every alarm of every team
    // SET ME: whom the monitoring team calls (shown on the dashboard coleta-dev-status and in alarms).
    contacts: {
      frontend: { name: "Frontend on call", phone: "+00 00 0000-0001", chat: "#coleta-frontend" },
      backend: { name: "Backend on call", phone: "+00 00 0000-0002", chat: "#coleta-backend" },
      platform: { name: "Platform on call", phone: "+00 00 0000-0003", chat: "#coleta-platform" },
    },
  },
  monitoring: {
    // SET ME: link name of the published health-check form (one optional short text question).
    healthCheckFormSlug: "health-check",
    wafBlockedRequestsPer5Min: 500,
  },
  budget: { monthlyLimitUsd: 150, actualThresholdsPercent: [80, 100], forecastThresholdPercent: 100 },
  github: {
    repository: "coleta-org/coleta", // SET ME
    environment: "dev",
    oidcProvider: "create", // "import" if the account already has GitHub's OIDC provider
  },
};
