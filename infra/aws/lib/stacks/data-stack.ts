import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Buckets } from "../constructs/buckets.js";
import { Cache } from "../constructs/cache.js";
import { Database } from "../constructs/database.js";
import { LakeCatalog } from "../constructs/lake-catalog.js";
import { Registry } from "../constructs/registry.js";
import type { ColetaStackProps, NetworkStack } from "./network-stack.js";

export interface DataStackProps extends ColetaStackProps {
  readonly networkStack: NetworkStack;
}

/** Props of the stacks built on Network and Data: Cicd, Edge, and where the API runs (App, Eks, Serverless). */
export interface OnDataStackProps extends DataStackProps {
  readonly dataStack: DataStack;
}

/**
 * Stateful resources: PostgreSQL, Valkey, the data and log buckets, the image registry, and the data
 * lake's catalog (Glue + Athena).
 */
export class DataStack extends Stack {
  public readonly buckets: Buckets;
  public readonly database: Database;
  public readonly cache: Cache;
  public readonly registry: Registry;
  public readonly lake: LakeCatalog;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, networkStack } = props;
    const vpc = networkStack.network.vpc;
    const { firewall, dns } = networkStack;

    this.buckets = new Buckets(this, "Buckets", { config });
    this.database = new Database(this, "Database", {
      config,
      vpc,
      securityGroup: firewall.database,
      rotationSecurityGroup: firewall.rotation,
      privateZone: dns.privateZone,
    });
    this.cache = new Cache(this, "Cache", {
      config,
      vpc,
      securityGroup: firewall.cache,
      privateZone: dns.privateZone,
    });
    this.registry = new Registry(this, "Registry", { config });
    this.lake = new LakeCatalog(this, "Lake", {
      config,
      exportsBucket: this.buckets.exports,
      logsBucket: this.buckets.logs,
    });
  }
}
