// The words of an invitation e-mail. Plain text, in English and Portuguese together: the invitee
// has no account yet, so there is no language preference to read.

export interface InvitationMessageInput {
  organizationName: string;
  inviterName: string;
  role: string;
  acceptUrl: string;
  expiresAt: Date;
}

export interface MailMessage {
  subject: string;
  text: string;
}

// Names are typed by users: keep them on one line and bounded, whatever they contain.
const oneLine = (value: string, max = 100) =>
  value
    .replace(/[\r\n\t\u2028\u2029]+/g, " ")
    .trim()
    .slice(0, max);

export function invitationMessage(input: InvitationMessageInput): MailMessage {
  const org = oneLine(input.organizationName);
  const inviter = oneLine(input.inviterName);
  const until = input.expiresAt.toISOString().slice(0, 10);
  return {
    subject: `Invitation to ${org} on Coleta / Convite para ${org} no Coleta`,
    text: [
      `${inviter} invited you to join "${org}" on Coleta as ${input.role}.`,
      `Accept before ${until}: ${input.acceptUrl}`,
      "",
      `${inviter} convidou você para participar de "${org}" no Coleta (${input.role}).`,
      `Aceite até ${until}: ${input.acceptUrl}`,
      "",
      "If you did not expect this, ignore this e-mail. / Se não esperava este convite, ignore este e-mail.",
    ].join("\n"),
  };
}
