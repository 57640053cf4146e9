// The two targets: `local` (any conformant cluster: kind, minikube, k3s) and `eks` (one per AWS
// environment, on the stacks of infra/aws with -c compute=eks).
import { configs, type EnvName } from "../../../infra/aws/config/index.ts";
import type { ColetaConfig } from "../../../infra/aws/config/types.ts";
import { apiRepositoryName } from "../../../infra/aws/lib/constructs/registry.ts";

/** Who may call a pod: the pods with `podLabels` in the namespace named `namespace`. */
export interface PodSource {
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
}

interface TargetBase {
  /** Folder under dist/. */
  readonly dir: string;
  readonly apiImage: string;
  readonly api: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly cpuTargetPercent: number;
    readonly databasePoolSize: number;
    readonly logLevel: ColetaConfig["api"]["logLevel"];
    readonly signupMode: ColetaConfig["api"]["signupMode"];
  };
  /** Prometheus (kube-prometheus-stack): may scrape /backend/metrics. */
  readonly prometheus: PodSource;
  /** Topology spread: DoNotSchedule where there are nodes in several zones. */
  readonly spreadAcrossZones: "DoNotSchedule" | "ScheduleAnyway";
}

export interface LocalTarget extends TargetBase {
  readonly kind: "local";
  readonly host: string;
  readonly webImage: string;
  /** The ingress controller (Traefik, installed as docs/kubernetes.md says). */
  readonly ingressController: PodSource & { readonly className: string };
}

export interface EksTarget extends TargetBase {
  readonly kind: "eks";
  readonly config: ColetaConfig;
  /**
   * CIDRs of the VPC's public subnets, where the ALB (created by the EKS stack) has its addresses:
   * the only callers of the API pods besides Prometheus (infra/aws/test/eks.test.ts checks them
   * against the synthesized Network stack).
   */
  readonly albSubnetCidrs: readonly string[];
  /** CIDRs of the isolated subnets (RDS, ElastiCache): the only database/cache destinations. */
  readonly dataSubnetCidrs: readonly string[];
}

export type Target = LocalTarget | EksTarget;

const PROMETHEUS: PodSource = {
  namespace: "monitoring",
  podLabels: { "app.kubernetes.io/name": "prometheus" },
};

export interface ImageInputs {
  /** Digest of the API image, "sha256:<64 hex>". */
  readonly apiDigest: string;
  /** Digest of the web image (local target only). */
  readonly webDigest: string;
  /** Repository of locally built images (a local registry, docs/kubernetes.md). */
  readonly localRegistry: string;
}

export function localTarget(
  images: ImageInputs,
  imageRef: (repo: string, digest: string) => string,
): LocalTarget {
  return {
    kind: "local",
    dir: "local",
    host: "coleta.localhost",
    apiImage: imageRef(`${images.localRegistry}/coleta-api`, images.apiDigest),
    webImage: imageRef(`${images.localRegistry}/coleta-web`, images.webDigest),
    api: {
      minReplicas: 2,
      maxReplicas: 4,
      cpuTargetPercent: 70,
      databasePoolSize: 10,
      logLevel: "info",
      signupMode: "open",
    },
    prometheus: PROMETHEUS,
    spreadAcrossZones: "ScheduleAnyway",
    ingressController: {
      namespace: "traefik",
      podLabels: { "app.kubernetes.io/name": "traefik" },
      className: "traefik",
    },
  };
}

/**
 * Subnet CIDRs as the CDK Vpc construct allocates them (infra/aws/lib/constructs/network.ts): for
 * each subnet group in order (public /24, private /20, isolated /24), one block per AZ, packed from
 * the start of the VPC range with each block aligned to its size.
 */
export function vpcSubnetCidrs(config: ColetaConfig): {
  public: string[];
  private: string[];
  isolated: string[];
} {
  const [base, prefix] = config.network.cidr.split("/") as [string, string];
  const toInt = (ip: string) => ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
  let next = toInt(base);
  const end = next + 2 ** (32 - Number(prefix));
  const take = (mask: number) => {
    const size = 2 ** (32 - mask);
    next = Math.ceil(next / size) * size;
    const cidr = `${toIp(next)}/${mask}`;
    next += size;
    if (next > end) throw new Error(`${config.network.cidr} is too small for the subnets`);
    return cidr;
  };
  const azs = config.network.availabilityZones;
  return {
    public: azs.map(() => take(24)),
    private: azs.map(() => take(20)),
    isolated: azs.map(() => take(24)),
  };
}

export function eksTarget(
  envName: EnvName,
  apiDigest: string,
  imageRef: (repo: string, digest: string) => string,
): EksTarget {
  const config = configs[envName];
  const subnets = vpcSubnetCidrs(config);
  return {
    kind: "eks",
    dir: `eks/${envName}`,
    config,
    apiImage: imageRef(
      `${config.account}.dkr.ecr.${config.region}.amazonaws.com/${apiRepositoryName(envName)}`,
      apiDigest,
    ),
    api: {
      minReplicas: Math.max(2, config.api.minTasks),
      maxReplicas: Math.max(2, config.api.maxTasks),
      cpuTargetPercent: config.api.cpuTargetPercent,
      databasePoolSize: config.api.databasePoolSize,
      logLevel: config.api.logLevel,
      signupMode: config.api.signupMode,
    },
    prometheus: PROMETHEUS,
    spreadAcrossZones: "DoNotSchedule",
    albSubnetCidrs: subnets.public,
    dataSubnetCidrs: subnets.isolated,
  };
}
