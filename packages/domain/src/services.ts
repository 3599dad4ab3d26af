import { Accounts } from "./accounts.ts";
import { Carts } from "./cart/service.ts";
import type { PaymentRequestSigner } from "./checkout/payment-request.ts";
import { Checkout } from "./checkout/service.ts";
import { ClubSettings } from "./clubs/settings.ts";
import { ShowingCancellation } from "./catalog/cancel.ts";
import { Buyers, Catalogue, ClubDashboard, EmailBlasts, EventAdmin, Offerings, TicketIssuing } from "./catalog/index.ts";
import type { DomainDeps } from "./deps.ts";
import { Devices } from "./devices.ts";
import { DoorStats } from "./door/door-stats.ts";
import { ClubFinance } from "./finance/service.ts";
import { DevicePairing } from "./door/pairing.ts";
import { DoorSync, type PublicKeyProvider } from "./door/sync.ts";
import { Exchange } from "./exchange/service.ts";
import { Lobbies } from "./lobby/service.ts";
import { Mailbox } from "./mail/mailbox.ts";
import { Orders } from "./orders/service.ts";
import { Payments } from "./payments/service.ts";
import { RateLimits } from "./rate-limit.ts";
import { RefundProcessor } from "./refunds/process.ts";
import { Returns } from "./refunds/returns.ts";
import { Refunds } from "./refunds/service.ts";
import { Roles } from "./roles.ts";
import { QrKeys } from "./tickets/qr-keys.ts";
import { Tickets } from "./tickets/tickets.ts";
import { TicketTransfers } from "./tickets/transfers.ts";
import { Waitlists } from "./waitlist/service.ts";
import type { SigningKey } from "@admit/ticket-codes";
import { developmentProfile, type RestCredentials, type SecureAcceptanceProfile } from "@admit/cybersource";

/** Settings services take from the server's configuration; tests may leave them out. */
export interface ServiceOptions {
  /** The origin browsers use (PUBLIC_URL); links in e-mails are built from it. */
  publicUrl?: string;
  /** True when no SMTP server is configured: sent mail is kept and shown in the development mailbox. */
  developmentMailbox?: boolean;
  /** How long a paid checkout holds its tickets (CHECKOUT_HOLD_MINUTES; 10 when left out). */
  checkoutHoldMinutes?: number;
  /** The hosted payment page and the signer of its requests; without them paid checkouts are refused. */
  paymentPage?: { url: string; sign: PaymentRequestSigner };
  /** The public keys door devices verify QR codes with. */
  qrPublicKeys?: PublicKeyProvider;
  /** QR_SIGNING_KEYS: the first signs, all verify. Without them a key is generated and stored in the database. */
  qrSigningKeys?: readonly SigningKey[];
  /** CyberSource keys payment replies are verified with (the local sandbox's when left out) and REST keys for refunds. */
  cybersource?: { profile: SecureAcceptanceProfile; rest?: RestCredentials };
}

/** Every domain service, built once per process (or per test) from the same dependencies. */
export function createServices(deps: DomainDeps, options: ServiceOptions = {}) {
  const roles = new Roles(deps);
  const rateLimits = new RateLimits(deps);
  const qrKeys = new QrKeys(deps, options.qrSigningKeys);
  const publicUrl = (options.publicUrl ?? "http://localhost:3000").replace(/\/$/, "");
  const restCredentials = options.cybersource?.rest;
  const waitlists = new Waitlists(deps, roles, { publicUrl });
  const refunds = new Refunds(deps, roles, new RefundProcessor(deps, { publicUrl, ...(restCredentials ? { rest: restCredentials } : {}) }), {
    publicUrl,
    seatsFreed: (ticketIds) => waitlists.tryOfferFreed({ ticketIds }),
  });
  return {
    roles,
    rateLimits,
    accounts: new Accounts(deps),
    devices: new Devices(deps, rateLimits),
    devicePairing: new DevicePairing(deps, roles, rateLimits),
    doorStats: new DoorStats(deps, roles),
    doorSync: new DoorSync(deps, options.qrPublicKeys ?? (() => qrKeys.publicKeys())),
    mailbox: new Mailbox(deps, options.developmentMailbox ?? false),
    eventAdmin: new EventAdmin(deps),
    offerings: new Offerings(deps, (showingId) => waitlists.tryOfferFreed({ showingIds: [showingId] })),
    ticketIssuing: new TicketIssuing(deps, { publicUrl }),
    buyers: new Buyers(deps),
    emailBlasts: new EmailBlasts(deps, { publicUrl }),
    catalogue: new Catalogue(deps),
    clubDashboard: new ClubDashboard(deps),
    clubSettings: new ClubSettings(deps),
    clubFinance: new ClubFinance(deps, roles),
    carts: new Carts(deps),
    lobbies: new Lobbies(deps, roles),
    checkout: new Checkout(deps, {
      publicUrl,
      ...(options.checkoutHoldMinutes === undefined ? {} : { holdMinutes: options.checkoutHoldMinutes }),
      ...(options.paymentPage ? { paymentPageUrl: options.paymentPage.url, signPaymentRequest: options.paymentPage.sign } : {}),
    }),
    qrKeys,
    tickets: new Tickets(deps, roles, qrKeys),
    ticketTransfers: new TicketTransfers(deps),
    exchange: new Exchange(deps, waitlists),
    orders: new Orders(deps, roles),
    refunds,
    returns: new Returns(deps, refunds),
    waitlists,
    showingCancellation: new ShowingCancellation(deps, refunds, { publicUrl }),
    payments: new Payments(
      deps,
      {
        publicUrl,
        profile: options.cybersource?.profile ?? developmentProfile(publicUrl),
      },
      roles,
      rateLimits,
      refunds,
    ),
  };
}

export type Services = ReturnType<typeof createServices>;
