import type * as ec2 from "aws-cdk-lib/aws-ec2";
import type { ColetaConfig } from "../../config/types.js";

/** What every Coleta construct is built from: the config of its environment. */
export interface ColetaConstructProps {
  readonly config: ColetaConfig;
}

/** A construct that places resources in the environment's VPC (the Network construct's). */
export interface InVpcProps extends ColetaConstructProps {
  readonly vpc: ec2.IVpc;
}
