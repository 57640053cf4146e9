import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { engineeringDashboard } from "./engineering-dashboard.ts";
import { statusDashboard } from "./status-dashboard.ts";

export interface GeneratedDashboard {
  file: string;
  build(): Dashboard;
}

export const DASHBOARDS: readonly GeneratedDashboard[] = [
  { file: "coleta-status.json", build: statusDashboard },
  { file: "coleta-engineering.json", build: engineeringDashboard },
];
