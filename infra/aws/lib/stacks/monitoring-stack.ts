import { Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Alerts } from "../constructs/alerts.js";
import type { AppStack } from "./app-stack.js";
import type { DataStack } from "./data-stack.js";
import type { EdgeStack } from "./edge-stack.js";
import type { ColetaStackProps } from "./network-stack.js";

export interface MonitoringStackProps extends ColetaStackProps {
  readonly dataStack: DataStack;
  readonly appStack: AppStack;
  readonly edgeStack: EdgeStack;
}

/** Team alert topics, alarms and the budget. */
export class MonitoringStack extends Stack {
  public readonly alerts: Alerts;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, dataStack, appStack, edgeStack } = props;
    this.alerts = new Alerts(this, "Alerts", {
      config,
      distribution: edgeStack.edge.distribution,
      targetGroup: appStack.api.targetGroup,
      clusterName: appStack.api.cluster.clusterName,
      serviceName: appStack.api.service.serviceName,
      database: dataStack.database.instance,
      cacheMemberClusterIds: dataStack.cache.memberClusterIds,
    });
  }
}
