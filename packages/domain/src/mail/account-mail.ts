import type { DomainDeps } from "../deps.ts";
import { renderEmail } from "./layout.ts";
import { enqueueMail, type OutgoingMessage } from "./outbox.ts";

/** Who a message about an account goes to (the auth library's user, reduced to what a message needs). */
export interface AccountMailRecipient {
  id: string;
  email: string;
  name: string;
  username?: string | undefined;
}

export interface AccountMailOptions {
  /** The storefront's origin; links in messages point at its pages. */
  publicUrl: string;
  /** How long a password reset link works (said in the message; the auth library enforces it). */
  passwordResetMinutes: number;
  /** How long an e-mail verification link works (said in the message; the auth library enforces it). */
  emailVerificationHours: number;
}

/**
 * However often one address is asked for, it gets at most one message of a kind per window: the auth endpoints are
 * rate-limited per client address, and this keeps many addresses (or a botnet) from flooding one inbox. The link in
 * the message already sent stays valid for longer than the window, so nobody is locked out by it.
 */
export const ACCOUNT_MAIL_WINDOW_MINUTES = 5;

/**
 * Messages about the account itself (password reset, address verification), written to the outbox like every other
 * message, so they do not depend on the mail server being up when they are asked for.
 */
export class AccountMail {
  constructor(
    private readonly deps: DomainDeps,
    private readonly options: AccountMailOptions,
  ) {}

  /** The token goes in the URL fragment, which browsers never send to a server: it stays out of request logs and Referer headers. */
  passwordResetLink(token: string): string {
    return `${this.options.publicUrl}/reset-password#token=${encodeURIComponent(token)}`;
  }

  emailVerificationLink(token: string): string {
    return `${this.options.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  }

  async passwordReset(user: AccountMailRecipient, token: string): Promise<void> {
    const subject = "Reset your Admit password";
    const { text, html } = renderEmail({
      title: subject,
      paragraphs: [
        `Hi ${user.name},`,
        `Someone (we hope you) asked to reset the password of your Admit account${user.username ? `, username ${user.username}` : ""}. The link below works once, for ${this.options.passwordResetMinutes} minutes.`,
        "Setting a new password signs you out everywhere else. If you did not ask for this, ignore this message: your password stays as it is.",
      ],
      action: { label: "Choose a new password", url: this.passwordResetLink(token) },
    });
    await this.enqueue({ to: user.email, subject, text, html, dedupeKey: this.dedupeKey("password-reset", user.id) });
  }

  async emailVerification(user: AccountMailRecipient, token: string): Promise<void> {
    const subject = "Confirm your e-mail address for Admit";
    const { text, html } = renderEmail({
      title: subject,
      paragraphs: [
        `Hi ${user.name},`,
        `Please confirm that ${user.email} is your address. Club officers write to ticket holders about their events only at confirmed addresses, and a campus sign-in can join your account only once it is confirmed.`,
        `The link works for ${this.options.emailVerificationHours} hours. Your tickets and receipts reach you either way.`,
      ],
      action: { label: "Confirm my address", url: this.emailVerificationLink(token) },
    });
    await this.enqueue({ to: user.email, subject, text, html, dedupeKey: this.dedupeKey("verify-email", user.id) });
  }

  private dedupeKey(kind: string, userId: string): string {
    const window = Math.floor(this.deps.clock.now().getTime() / (ACCOUNT_MAIL_WINDOW_MINUTES * 60_000));
    return `${kind}:${userId}:${window}`;
  }

  private async enqueue(message: OutgoingMessage): Promise<void> {
    await enqueueMail(this.deps.prisma, [message]);
  }
}
