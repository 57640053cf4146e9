import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { createMailer, invitationMessage } from "../src/mail";
import { TestClient } from "./support/client";
import { startApi } from "./support/stack";
import { type ApiSuite, startSuite } from "./support/suite";

// Invitations by e-mail (issue 12): through a real SMTP server started here (smtp-server, the
// receiving side of nodemailer's project), and printed to the console when SMTP is not configured.

interface Received {
  from: string;
  to: string[];
  raw: string;
  user?: string;
}

describe("invitation e-mail over SMTP", () => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let suite: ApiSuite;
  /** The API's settings for the SMTP server started here, signing in with `password`. */
  const smtpEnv = (password: string, from = "Coleta <coleta@example.org>") => ({
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
    SMTP_USER: "coleta",
    SMTP_PASSWORD: password,
    SMTP_FROM: from,
  });

  beforeAll(async () => {
    smtp = new SMTPServer({
      // Plain SMTP on loopback: no certificate to manage in a test; credentials are still checked.
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === "coleta" && auth.password === "mail-password")
          callback(null, { user: "coleta" });
        else callback(new Error("Invalid username or password"));
      },
      onData(stream, session, callback) {
        let raw = "";
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => {
          raw += chunk;
        });
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    suite = await startSuite(smtpEnv("mail-password"));
  });

  afterAll(async () => {
    await suite?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it("sends the accept link to the invited address, authenticated, from SMTP_FROM", async () => {
    const owner = suite.client();
    await owner.signUp("boss@example.com", "Boss");
    const me = await owner.get("/me");
    const orgId = me.body.organizations[0].id;
    const reply = await owner.post(`/orgs/${orgId}/invitations`, {
      email: "ana@example.com",
      role: "editor",
    });
    expect(reply.status).toBe(201);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.user).toBe("coleta");
    expect(mail?.from).toBe("coleta@example.org");
    expect(mail?.to).toEqual(["ana@example.com"]);
    // Quoted-printable may fold long lines: unfold before looking for the link.
    const body = (mail?.raw ?? "").replace(/=\r?\n/g, "").replace(/=3D/g, "=");
    expect(body).toContain(reply.body.acceptUrl);
    expect(body).toContain("Boss invited you");
    expect(mail?.raw).toMatch(/^Subject: .*Invitation to/m);
  });

  it("keeps the invitation (and returns its link) when the SMTP server refuses the credentials", async () => {
    const refusing = await startApi(suite.database, smtpEnv("wrong-password", "coleta@example.org"));
    try {
      const owner = new TestClient(refusing.url);
      await owner.signIn("boss@example.com");
      const orgId = (await owner.get("/me")).body.organizations[0].id;
      const before = received.length;
      const reply = await owner.post(`/orgs/${orgId}/invitations`, {
        email: "rui@example.com",
        role: "viewer",
      });
      expect(reply.status).toBe(201);
      expect(reply.body.acceptUrl).toContain("/invite/");
      expect(received.length).toBe(before);
    } finally {
      await refusing.stop();
    }
  });
});

describe("invitation e-mail without SMTP", () => {
  const message = invitationMessage({
    organizationName: "Cooperativa\r\nBcc: x@evil.example",
    inviterName: "Boss",
    role: "viewer",
    acceptUrl: "http://localhost:3000/frontend/invite/abc",
    expiresAt: new Date("2030-01-08T00:00:00Z"),
  });

  it("prints the message with the link on a laptop", async () => {
    const lines: string[] = [];
    const mailer = createMailer(loadConfig({ NODE_ENV: "development" }), (line) => lines.push(line));
    expect(mailer.kind).toBe("console");
    await mailer.send("ana@example.com", message);
    expect(lines.join("\n")).toContain("e-mail to ana@example.com");
    expect(lines.join("\n")).toContain("http://localhost:3000/frontend/invite/abc");
  });

  it("prints nothing in production (a link in the logs is a credential in the logs)", async () => {
    const lines: string[] = [];
    const mailer = createMailer(loadConfig({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }), (line) =>
      lines.push(line),
    );
    expect(mailer.kind).toBe("none");
    await mailer.send("ana@example.com", message);
    expect(lines).toEqual([]);
  });

  it("keeps user-typed names on one line", () => {
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.subject).toContain("Cooperativa Bcc: x@evil.example");
  });
});
