import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { ColetaConfig } from "../../config/types.js";
import { Dns } from "../constructs/dns.js";
import { Firewall } from "../constructs/firewall.js";
import { Network } from "../constructs/network.js";

export interface ColetaStackProps extends StackProps {
  readonly config: ColetaConfig;
}

/** VPC, the firewall (all security groups) and DNS zones. Deploy first; then delegate the zone. */
export class NetworkStack extends Stack {
  public readonly network: Network;
  public readonly firewall: Firewall;
  public readonly dns: Dns;
  private readonly configuredAzs: string[];

  constructor(scope: Construct, id: string, props: ColetaStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.configuredAzs = [...config.network.availabilityZones];
    this.network = new Network(this, "Network", { config });
    this.firewall = new Firewall(this, "Firewall", { config, vpc: this.network.vpc });
    this.dns = new Dns(this, "Dns", { config, vpc: this.network.vpc });
  }

  /** AZs come from the config, not from an availability-zones context lookup (synth needs no AWS access). */
  override get availabilityZones(): string[] {
    return this.configuredAzs;
  }
}
