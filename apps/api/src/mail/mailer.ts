import nodemailer from "nodemailer";
import type { Config } from "../config";
import type { MailMessage } from "./invitation-message";

// How Coleta sends e-mail. With SMTP_HOST: through that server. Without it, on a laptop or in
// development: the message is printed to the console, so the person running Coleta can pass the
// link on. In production without SMTP nothing is printed (a link in the logs is a credential in the
// logs): the API still returns the link once to whoever created the invitation. Neither do tests.

export type MailTransportKind = "smtp" | "console" | "none";

export interface Mailer {
  readonly kind: MailTransportKind;
  /** Resolves once the message is handed over (accepted by the SMTP server, or printed). */
  send(to: string, message: MailMessage): Promise<void>;
}

/** Bounds on a slow or silent SMTP server, so an invitation request never hangs on it. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export function createMailer(
  config: Pick<Config, "env" | "production">,
  print: (line: string) => void = console.log,
): Mailer {
  const { env } = config;
  if (env.SMTP_HOST && env.SMTP_FROM) {
    const from = env.SMTP_FROM;
    const transport = nodemailer.createTransport({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      ...(env.SMTP_USER && env.SMTP_PASSWORD
        ? { auth: { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } }
        : {}),
      ...SMTP_TIMEOUTS,
    });
    return {
      kind: "smtp",
      async send(to, message) {
        await transport.sendMail({ from, to, subject: message.subject, text: message.text });
      },
    };
  }
  // Tests stay quiet; they exercise the console transport directly.
  if (config.production || env.NODE_ENV === "test") return { kind: "none", send: async () => {} };
  return {
    kind: "console",
    async send(to, message) {
      print(
        `\n--- e-mail to ${to} (set SMTP_HOST to send it) ---\nSubject: ${message.subject}\n\n${message.text}\n---\n`,
      );
    },
  };
}
