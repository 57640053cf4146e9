/**
 * Typed configuration for one Coleta environment on AWS.
 *
 * Every value a real deployment needs to change is in here; everything else is derived in code.
 * Values marked "SET ME" are the documented placeholders (account, domain, e-mails and
 * contacts, health-check form, GitHub repo).
 */

import type { TeamId } from "@coleta/monitoring";

export type EnvName = "dev" | "prod";

/** How the monitoring team reaches a team: shown on the status dashboard and in alarm texts. */
export interface TeamContact {
  /** Person or rota to ask for, e.g. "Ana Souza (backend on call)". */
  readonly name: string;
  /** Phone number to call, with the country code, e.g. "+55 11 91234-5678". */
  readonly phone: string;
  /** Chat channel or handle, e.g. "#coleta-backend (Slack)". */
  readonly chat: string;
}

/**
 * Where an environment's API image comes from:
 * - "build": CI builds it once per commit and pushes it to this environment's repository;
 * - "promote": CI copies the exact digest that runs in `from` into this environment's repository
 *   (the same bytes, never rebuilt). `from`'s repository lets this environment's deploy-backend
 *   role pull, even across accounts.
 */
export type ApiImageSource =
  | { readonly source: "build" }
  | { readonly source: "promote"; readonly from: EnvName };

/** Public hosted zone: let the stack create it, or import one that already exists. */
export type HostedZoneConfig =
  | { readonly mode: "create" }
  | { readonly mode: "import"; readonly hostedZoneId: string };

export interface ColetaConfig {
  readonly envName: EnvName;
  /** SET ME: 12-digit AWS account id. The CDK CLI refuses to deploy if your credentials differ. */
  readonly account: string;
  /**
   * Everything is deployed in us-east-1: CloudFront certificates, CLOUDFRONT-scope WAF ACLs and
   * CloudFront metrics only exist there, so one region avoids cross-region references entirely.
   */
  readonly region: "us-east-1";
  /** SET ME: the one public DNS name of the app, e.g. "coleta.example.com". */
  readonly domainName: string;
  readonly hostedZone: HostedZoneConfig;
  /**
   * Id of the AWS-managed prefix list "com.amazonaws.global.cloudfront.origin-facing" in `region`
   * (us-east-1: pl-3b927c52). Committed instead of looked up so synth needs no AWS credentials.
   * Verify with: aws ec2 describe-managed-prefix-lists --filters
   *   Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing
   */
  readonly cloudFrontOriginFacingPrefixListId: string;

  readonly network: {
    readonly cidr: string;
    /** Explicit AZ names (2 in dev, 3 in prod): avoids an availability-zones context lookup. */
    readonly availabilityZones: readonly string[];
    readonly natGateways: number;
    readonly flowLogRetentionDays: number;
  };

  readonly edge: {
    /** CloudFront price class: "PriceClass_100" | "PriceClass_200" | "PriceClass_All". */
    readonly priceClass: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
    /** WAF rate limit for /backend/public/* per client IP per 5 minutes. */
    readonly publicApiRateLimitPer5Min: number;
  };

  readonly api: {
    /**
     * Where this environment's API image comes from. There is no default image and no tag: every
     * deploy of the App stack names the image by digest (`-c apiImageDigest=sha256:…`), the one the
     * pipeline recorded in SSM `/coleta/<env>/release/api-image-digest` (docs/deploy.md).
     */
    readonly image: ApiImageSource;
    /** Fargate task size (ARM64). */
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly minTasks: number;
    readonly maxTasks: number;
    readonly cpuTargetPercent: number;
    readonly requestsPerTargetPerMinute: number;
    readonly logRetentionDays: number;
    readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace";
    readonly signupMode: "open" | "invite-only" | "closed";
    readonly databasePoolSize: number;
  };

  readonly database: {
    /** e.g. "t4g.micro" (without the "db." prefix). */
    readonly instanceType: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
    /**
     * CloudWatch Database Insights (the Performance Insights console is retired): "off"; "standard"
     * (free: 7 days of database load by wait, query and user); "advanced" (15 months, fleet views,
     * lock analysis and execution plans, billed per vCPU-hour; see docs/costs.md before turning it on).
     */
    readonly databaseInsights: "off" | "standard" | "advanced";
    /** 0 disables enhanced monitoring. */
    readonly enhancedMonitoringIntervalSeconds: 0 | 1 | 5 | 10 | 15 | 30 | 60;
    readonly credentialRotationDays: number;
    /** Alarm when fewer than this many GiB are free. */
    readonly freeStorageAlarmGiB: number;
    /** Alarm when more connections than this are open. */
    readonly connectionsAlarmThreshold: number;
  };

  readonly cache: {
    /** e.g. "cache.t4g.micro". */
    readonly nodeType: string;
    /** 1 = single node (no failover); >= 2 enables automatic failover + Multi-AZ. */
    readonly nodes: number;
    readonly port: number;
    readonly snapshotRetentionDays: number;
  };

  readonly storage: {
    /** Days before access logs (S3, ALB, CloudFront) are deleted. */
    readonly logRetentionDays: number;
    /** Days after which export objects (the data lake) move to S3 Intelligent-Tiering. */
    readonly exportsIntelligentTieringDays: number;
  };

  /**
   * SET ME: e-mail addresses per team; each receives its team's alarms (confirm the SNS e-mail).
   * `monitoring` is the (non-technical) monitoring team: it receives EVERY alarm of every team, on
   * ALARM and on OK, and calls the owning team using `contacts`.
   */
  readonly alerts: {
    readonly frontend: readonly string[];
    readonly backend: readonly string[];
    readonly platform: readonly string[];
    readonly monitoring: readonly string[];
    /** SET ME: whom the monitoring team calls for each team (dashboard first row, alarm texts). */
    readonly contacts: Readonly<Record<TeamId, TeamContact>>;
  };

  readonly monitoring: {
    /**
     * SET ME: link name (slug) of the published health-check form that the canary opens at
     * https://<domain>/frontend/f/<slug> and submits every 5 minutes. Create it once per environment:
     * a form with one optional short text question, published with this link name (docs/deploy.md).
     */
    readonly healthCheckFormSlug: string;
    /**
     * Base URL of the runbook links in alarm texts and on the dashboard (…/docs/runbooks). Default:
     * DEFAULT_RUNBOOK_BASE_URL of @coleta/monitoring (the repository's docs on GitHub).
     */
    readonly runbookBaseUrl?: string;
    /** Alarm (platform team) when the WAF blocks more than this many requests in 5 minutes. */
    readonly wafBlockedRequestsPer5Min: number;
  };

  readonly budget: {
    readonly monthlyLimitUsd: number;
    /** Notify when actual spend crosses these percentages of the limit. */
    readonly actualThresholdsPercent: readonly number[];
    /** Notify when forecasted spend crosses this percentage. */
    readonly forecastThresholdPercent: number;
  };

  readonly github: {
    /** SET ME: "owner/repo" allowed to assume the roles. */
    readonly repository: string;
    /**
     * GitHub environment the deploy jobs run in (protect it: only `main` may deploy to it, and
     * `prod` needs a reviewer). The deploy roles trust only OIDC tokens whose `sub` claim is
     * `repo:<owner/repo>:environment:<environment>`; the read-only diff role trusts only
     * `repo:<owner/repo>:pull_request`.
     */
    readonly environment: string;
    /**
     * GitHub's OIDC provider (token.actions.githubusercontent.com) exists once per AWS account.
     * "create": this environment's Cicd stack creates it (the first Coleta environment of the account).
     * "import": it already exists (another environment in the same account, or created by hand);
     * the roles use it without owning it. How to tell: docs/deploy.md, "GitHub's OIDC provider".
     */
    readonly oidcProvider: "create" | "import";
  };
}
