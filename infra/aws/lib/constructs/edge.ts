import {
  contentSecurityPolicy,
  FRAME_OPTIONS,
  type Framing,
  HSTS,
  ISOLATION_HEADERS,
  REFERRER_POLICY,
} from "@coleta/http-policy";
import { ArnFormat, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as logs from "aws-cdk-lib/aws-logs";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { acknowledge } from "../nag.js";
import { ORIGIN_VERIFY_HEADER } from "./api-secrets.js";
import { logAccessAcrossStacks, secureBucketProps } from "./buckets.js";
import type { ColetaConstructProps } from "./construct-props.js";
import { ROOT_REDIRECT_FUNCTION_CODE, SPA_ROUTING_FUNCTION_CODE } from "./edge-functions.js";

/** Key prefix of the built web app (apps/web/dist) inside the frontend bucket. */
export const FRONTEND_PREFIX = "frontend/";

/** Name of the web ACL (also its CloudWatch metric name: dimension WebACL of AWS/WAFV2 metrics). */
export function webAclName(env: string): string {
  return `coleta-${env}-edge`;
}

/** Requests the web ACL blocked, per `period`: `rule` "ALL" is the web ACL's total. */
export function wafBlockedRequests(
  env: string,
  rule: "ALL" | "PublicApiRateLimit",
  options: Pick<cloudwatch.MetricOptions, "period" | "label">,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: "AWS/WAFV2",
    metricName: "BlockedRequests",
    // CloudFront-scope web ACL: no Region dimension.
    dimensionsMap: { WebACL: webAclName(env), Rule: rule },
    statistic: "Sum",
    ...options,
  });
}

/** Path of the API's Prometheus endpoint; only reachable from inside the VPC (WAF blocks it at the edge). */
export const METRICS_PATH = "/backend/metrics";

export interface EdgeProps extends ColetaConstructProps {
  readonly publicZone: route53.IHostedZone;
  readonly logsBucket: s3.IBucket;
  /** origin.<domain>: the ALB's public name, covered by its certificate. */
  readonly apiOriginDomainName: string;
  /** Value of the X-Origin-Verify header (a Secrets Manager dynamic reference). */
  readonly originVerifyHeaderValue: string;
}

/**
 * One DNS name, two paths:
 *   https://<domain>/frontend/f/* -> the respondent page (same bucket + SPA function), embeddable:
 *                                    CSP frame-ancestors *, no X-Frame-Options
 *   https://<domain>/frontend/*  -> private S3 bucket through Origin Access Control (SPA routing function),
 *                                   X-Frame-Options SAMEORIGIN + CSP frame-ancestors 'self'
 *   https://<domain>/backend/*   -> ALB (HTTPS), no caching, all methods, all viewer headers/cookies/query
 *   https://<domain>/ (anything else) -> 302 to /frontend/
 * WAF (CLOUDFRONT scope): blocks /backend/metrics (internal), AWS Common, Known Bad Inputs, IP
 * reputation, and a per-IP rate limit on /backend/public/*. CloudFront access logs go to the logs bucket (cloudfront/).
 */
export class Edge extends Construct {
  public readonly distribution: cloudfront.Distribution;
  public readonly frontendBucket: s3.Bucket;
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { config } = props;
    const env = config.envName;

    this.frontendBucket = new s3.Bucket(this, "FrontendBucket", {
      ...secureBucketProps(config, "frontend"),
      versioned: true,
      lifecycleRules: [{ id: "tidy-versions", noncurrentVersionExpiration: Duration.days(30) }],
    });
    // The logs bucket lives in the Data stack.
    logAccessAcrossStacks(this.frontendBucket, props.logsBucket.bucketName, "frontend");

    const certificate = new acm.Certificate(this, "Certificate", {
      domainName: config.domainName,
      validation: acm.CertificateValidation.fromDns(props.publicZone),
    });

    this.webAcl = this.createWebAcl(config);

    const spaRouting = new cloudfront.Function(this, "SpaRouting", {
      functionName: `coleta-${env}-spa-routing`,
      comment: "SPA routes: /frontend/f/* -> fill.html, other extensionless paths -> index.html",
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_ROUTING_FUNCTION_CODE),
    });
    const rootRedirect = new cloudfront.Function(this, "RootRedirect", {
      functionName: `coleta-${env}-root-redirect`,
      comment: "Redirect / to /frontend/",
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(ROOT_REDIRECT_FUNCTION_CODE),
    });

    const frontendOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.frontendBucket);
    const apiOrigin = new origins.HttpOrigin(props.apiOriginDomainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifyHeaderValue },
      readTimeout: Duration.seconds(30),
    });

    // Like the managed CachingOptimized policy (compression, nothing in the cache key) but with a
    // minimum TTL of 0, so CloudFront honours the origin's Cache-Control exactly: HTML and
    // fill-sw.js are uploaded with "no-cache" and are revalidated on every request (with min TTL 1 s
    // CloudFront would keep them for a second regardless); hashed assets say max-age=1 year.
    const frontendCachePolicy = new cloudfront.CachePolicy(this, "FrontendCachePolicy", {
      cachePolicyName: `coleta-${env}-frontend`,
      comment: "Coleta web app: honour the origin Cache-Control (min TTL 0)",
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    // The security headers of @coleta/http-policy, the same the API and the compose nginx send:
    // the standard ones through CloudFront's security-headers behaviour, the rest as custom headers.
    // The respondent page (/frontend/f/*) may be framed by any site, for the share panel's embed.
    const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((p) => p === REFERRER_POLICY);
    if (!referrerPolicy) throw new Error(`CloudFront has no Referrer-Policy "${REFERRER_POLICY}"`);
    const headersPolicy = (id: string, name: string, comment: string, framing: Framing) =>
      new cloudfront.ResponseHeadersPolicy(this, id, {
        responseHeadersPolicyName: `coleta-${env}-${name}`,
        comment,
        securityHeadersBehavior: {
          contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(framing), override: true },
          contentTypeOptions: { override: true },
          referrerPolicy: { referrerPolicy, override: true },
          strictTransportSecurity: {
            accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds),
            includeSubdomains: HSTS.includeSubDomains,
            override: true,
          },
          ...(framing === "self"
            ? {
                frameOptions: {
                  frameOption: cloudfront.HeadersFrameOption[FRAME_OPTIONS],
                  override: true,
                },
              }
            : {}),
        },
        customHeadersBehavior: {
          customHeaders: Object.entries(ISOLATION_HEADERS).map(([header, value]) => ({
            header,
            value,
            override: true,
          })),
        },
      });
    const frontendHeaders = headersPolicy(
      "FrontendHeaders",
      "frontend",
      "Coleta web app: security headers, framing only by the app itself",
      "self",
    );
    const fillPageHeaders = headersPolicy(
      "FillPageHeaders",
      "fill-embeddable",
      "Coleta respondent page (/frontend/f/*): security headers, embeddable by any site",
      "anyone",
    );
    const frontendBehavior = (responseHeadersPolicy: cloudfront.IResponseHeadersPolicy) => ({
      origin: frontendOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachePolicy: frontendCachePolicy,
      responseHeadersPolicy,
      compress: true,
      functionAssociations: [
        { function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      ],
    });

    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: `Coleta ${env}`,
      domainNames: [config.domainName],
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: config.edge.priceClass as cloudfront.PriceClass,
      enableIpv6: true,
      webAclId: this.webAcl.attrArn,
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: "cloudfront/",
      defaultBehavior: {
        origin: frontendOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        functionAssociations: [
          { function: rootRedirect, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        // Order matters (CloudFront uses the first matching pattern): the respondent page first.
        "/frontend/f/*": frontendBehavior(fillPageHeaders),
        "/frontend/*": frontendBehavior(frontendHeaders),
        "/backend/*": {
          origin: apiOrigin,
          // HTTPS only (no redirect): a redirected POST would lose its body.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          compress: true,
        },
      },
    });

    acknowledge(
      this.distribution,
      "AwsSolutions-CFR1",
      "Coleta collects form responses from respondents anywhere; blocking countries would silently lose submissions. Abuse is handled by WAF (IP reputation, rate limit).",
    );

    const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
    new route53.ARecord(this, "AliasA", {
      zone: props.publicZone,
      target,
      comment: "Coleta app (CloudFront)",
    });
    new route53.AaaaRecord(this, "AliasAaaa", {
      zone: props.publicZone,
      target,
      comment: "Coleta app (CloudFront)",
    });
  }

  private createWebAcl(config: ColetaConfig): wafv2.CfnWebACL {
    const env = config.envName;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (
      name: string,
      priority: number,
      ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name,
          ...(ruleActionOverrides ? { ruleActionOverrides } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });

    const webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      name: webAclName(env),
      description: `Coleta ${env}: internal metrics blocked, managed protections, public API rate limit`,
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(webAclName(env)),
      rules: [
        // Prometheus metrics are for scrapers inside the VPC (task IP:port), never for viewers.
        // Matched after URL-decoding and path normalisation (//, ./, ../, backslashes) and
        // lower-casing, because the API's router decodes %xx and its URL parser resolves dot
        // segments: /backend/%6detrics or /backend/x/../metrics must not slip through.
        {
          name: "BlockInternalMetrics",
          priority: 0,
          action: { block: {} },
          statement: {
            orStatement: {
              statements: [
                { positionalConstraint: "EXACTLY", searchString: METRICS_PATH },
                { positionalConstraint: "STARTS_WITH", searchString: `${METRICS_PATH}/` },
              ].map((match) => ({
                byteMatchStatement: {
                  ...match,
                  fieldToMatch: { uriPath: {} },
                  textTransformations: [
                    { priority: 0, type: "URL_DECODE" },
                    { priority: 1, type: "NORMALIZE_PATH_WIN" },
                    { priority: 2, type: "LOWERCASE" },
                  ],
                },
              })),
            },
          },
          visibilityConfig: visibility("BlockInternalMetrics"),
        },
        {
          name: "PublicApiRateLimit",
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: config.edge.publicApiRateLimitPer5Min,
              evaluationWindowSec: 300,
              aggregateKeyType: "IP",
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: "STARTS_WITH",
                  searchString: "/backend/public/",
                  textTransformations: [{ priority: 0, type: "NONE" }],
                },
              },
            },
          },
          visibilityConfig: visibility("PublicApiRateLimit"),
        },
        managed("AWSManagedRulesAmazonIpReputationList", 2),
        // Form submissions and batches are larger than the rule set's 8 KB body limit; the API
        // enforces its own BODY_LIMIT_BYTES, so that one rule only counts.
        managed("AWSManagedRulesCommonRuleSet", 3, [
          { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
        ]),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 4),
      ],
    });

    // WAF logs (name must start with aws-waf-logs-); credentials and session cookies are redacted.
    const logGroupName = `aws-waf-logs-coleta-${env}`;
    const logGroup = new logs.LogGroup(this, "WafLogs", {
      logGroupName,
      retention: config.api.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, "WafLogging", {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: "logs",
          resource: "log-group",
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: "authorization" } }, { singleHeader: { Name: "cookie" } }],
    });
    logging.node.addDependency(logGroup);
    return webAcl;
  }
}
