import type { PrismaClient } from "@admit/db";

/** A claim of the provider's profile as text: a string or number as it is, anything else as absent. */
export function claimText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/**
 * Campus accounts arrive without a local username. Take the campus one (preferred_username, else the e-mail's
 * local part), and add a number when a local account already uses it.
 */
export async function usernameForSso(prisma: PrismaClient, profile: Record<string, unknown>): Promise<string> {
  const raw = claimText(profile.preferred_username) ?? (claimText(profile.email) ?? "student").split("@")[0] ?? "student";
  const base = raw.toLowerCase().replace(/[^a-z0-9_.]/g, "").slice(0, 36) || "student";
  for (let n = 0; n < 1000; n++) {
    const candidate = n === 0 ? base : `${base}${n + 1}`;
    const taken = await prisma.user.findUnique({ where: { username: candidate }, select: { id: true } });
    if (!taken) return candidate;
  }
  return `${base}${Date.now().toString(36)}`;
}
