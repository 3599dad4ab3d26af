import type { UserActor } from "./actor.ts";
import type { DomainDeps } from "./deps.ts";
import { notFound } from "./errors.ts";

export interface ApiTokenSummary {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
  current: boolean;
}

/** A person's own account: profile, and the sessions and API tokens signed in as them. */
export class Accounts {
  constructor(private readonly deps: DomainDeps) {}

  async me(actor: UserActor) {
    const user = await this.deps.prisma.user.findUnique({
      where: { id: actor.userId },
      select: {
        id: true,
        username: true,
        fullName: true,
        email: true,
        emailVerified: true,
        isSiteAdmin: true,
        memberships: {
          where: { club: { archived: false } },
          select: { role: true, club: { select: { id: true, code: true, name: true } } },
          orderBy: { club: { name: "asc" } },
        },
      },
    });
    if (!user) throw notFound("Account");
    return {
      id: user.id,
      username: user.username,
      fullName: user.fullName,
      email: user.email,
      emailVerified: user.emailVerified,
      isSiteAdmin: user.isSiteAdmin,
      clubs: user.memberships.map((m) => ({ ...m.club, role: m.role })),
    };
  }

  /** Browser sessions and API tokens are both sessions; the list never shows the secret itself. */
  async listTokens(actor: UserActor): Promise<ApiTokenSummary[]> {
    const sessions = await this.deps.prisma.session.findMany({
      where: { userId: actor.userId, expiresAt: { gt: this.deps.clock.now() } },
      select: { id: true, createdAt: true, expiresAt: true, userAgent: true, ipAddress: true },
      orderBy: { createdAt: "desc" },
    });
    return sessions.map((s) => ({ ...s, current: s.id === actor.sessionId }));
  }

  async revokeToken(actor: UserActor, tokenId: string): Promise<void> {
    const { count } = await this.deps.prisma.session.deleteMany({ where: { id: tokenId, userId: actor.userId } });
    if (count === 0) throw notFound("Token");
  }
}
