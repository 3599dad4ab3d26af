import {
  checkKeyIds,
  formatSigningKey,
  generateSigningKey,
  parseSigningKey,
  signTicketCode,
  toBase64Url,
  type SigningKey,
  type TicketClaims,
} from "@admit/ticket-codes";
import type { DomainDeps } from "../deps.ts";

/** Where the generated key is kept when none is configured; the value is "kid:base64url-private-key". */
export const GENERATED_QR_KEY_SETTING = "qr.signing-key";
const GENERATED_KEY_ID = 1;

/**
 * The keys that sign ticket QR codes. Configured keys (QR_SIGNING_KEYS) win: the first signs, all verify. Without
 * them one key pair is generated on first use and stored in the database, so every server process signs with the
 * same key and every kiosk can verify what any process issued.
 */
export class QrKeys {
  private ring: Promise<readonly SigningKey[]> | undefined;

  constructor(
    private readonly deps: DomainDeps,
    private readonly configured: readonly SigningKey[] = [],
  ) {
    if (configured.length) checkKeyIds(configured);
  }

  private keys(): Promise<readonly SigningKey[]> {
    this.ring ??= this.load().catch((error: unknown) => {
      this.ring = undefined;
      throw error;
    });
    return this.ring;
  }

  private async load(): Promise<readonly SigningKey[]> {
    if (this.configured.length) return this.configured;
    const { prisma } = this.deps;
    // Several processes may start at once: the first insert wins and everyone reads the row that won.
    await prisma.serverSetting.createMany({
      data: [{ key: GENERATED_QR_KEY_SETTING, value: formatSigningKey(generateSigningKey(GENERATED_KEY_ID)) }],
      skipDuplicates: true,
    });
    const row = await prisma.serverSetting.findUniqueOrThrow({ where: { key: GENERATED_QR_KEY_SETTING } });
    return [parseSigningKey(row.value)];
  }

  /** The text of a ticket's QR code, signed with the current signing key. */
  async sign(claims: TicketClaims): Promise<string> {
    const [current] = await this.keys();
    return signTicketCode(claims, current!);
  }

  /** Every key a door should accept, newest first: `{ kid, publicKey }` with the key in base64url. */
  async publicKeys(): Promise<Array<{ kid: string; publicKey: string }>> {
    return (await this.keys()).map((key) => ({ kid: String(key.kid), publicKey: toBase64Url(key.publicKey) }));
  }
}
