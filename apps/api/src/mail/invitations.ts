import { eq } from "drizzle-orm";
import type { Services } from "../context";
import { organization } from "../db/schema";
import { invitationMessage } from "./invitation-message";
import { createMailer } from "./mailer";

export interface InvitationToSend {
  organizationId: string;
  email: string;
  role: string;
  inviterName: string;
  acceptUrl: string;
  expiresAt: Date;
}

/**
 * Sends invitation e-mails through the configured transport. A failed delivery does not undo the
 * invitation: the creator still gets the link in the response, and the log says it was not sent
 * (without the link, which is a credential).
 */
export function invitationSender(services: Pick<Services, "config" | "database" | "logger">) {
  const mailer = createMailer(services.config);
  return async (invite: InvitationToSend): Promise<boolean> => {
    if (mailer.kind === "none") return false;
    try {
      const [org] = await services.database.db
        .select({ name: organization.name })
        .from(organization)
        .where(eq(organization.id, invite.organizationId));
      await mailer.send(
        invite.email,
        invitationMessage({ ...invite, organizationName: org?.name ?? "Coleta" }),
      );
      return true;
    } catch (error) {
      services.logger.warn(
        { err: { message: (error as Error).message }, transport: mailer.kind },
        "invitation e-mail not sent",
      );
      return false;
    }
  };
}
