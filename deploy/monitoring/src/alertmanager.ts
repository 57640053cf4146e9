import { TEAM_IDS } from "@coleta/monitoring";
import { CONTACTS, SMTP } from "./contacts.ts";

export const MONITORING_RECEIVER = "monitoring-team";

const SUBJECT = {
  en: "[{{ .Status | toUpper }}] {{ or .CommonAnnotations.summary .GroupLabels.alertname }}",
  pt: "[{{ .Status | toUpper }}] {{ or .CommonAnnotations.summary_pt .GroupLabels.alertname }}",
};

/**
 * alertmanager.yml: the monitoring team receives every alert (first route, `continue: true`), then
 * each alert goes to the team named by its `team` label. A paging SLO alert silences the ticket of
 * the same SLO while both fire.
 */
export function alertmanagerConfig() {
  const email = (to: string, subject: string) => ({
    to,
    send_resolved: true,
    headers: { Subject: subject },
  });
  return {
    global: {
      resolve_timeout: "5m",
      smtp_smarthost: SMTP.smarthost,
      smtp_from: SMTP.from,
    },
    route: {
      receiver: MONITORING_RECEIVER,
      group_by: ["alertname", "team", "severity", "reason"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        // No matchers: every alert. `continue` lets it go on to its team's route too.
        { receiver: MONITORING_RECEIVER, continue: true },
        ...TEAM_IDS.map((team) => ({ receiver: team, matchers: [`team="${team}"`] })),
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="page"', 'slo=~".+"'],
        target_matchers: ['severity="ticket"', 'slo=~".+"'],
        equal: ["slo"],
      },
    ],
    receivers: [
      { name: MONITORING_RECEIVER, email_configs: [email(CONTACTS.monitoring.email, SUBJECT.pt)] },
      ...TEAM_IDS.map((team) => ({ name: team, email_configs: [email(CONTACTS[team].email, SUBJECT.en)] })),
    ],
  };
}
