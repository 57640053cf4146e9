export { type InvitationMessageInput, invitationMessage, type MailMessage } from "./invitation-message";
export { type InvitationToSend, invitationSender } from "./invitations";
export { createMailer, type Mailer, type MailTransportKind } from "./mailer";
