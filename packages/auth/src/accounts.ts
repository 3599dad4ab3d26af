import type { Auth } from "./auth.ts";

export interface NewLocalAccount {
  username: string;
  password: string;
  email: string;
  fullName: string;
  /**
   * Whether the address counts as confirmed from the start (demo accounts, tests). Accounts made here are never sent a
   * verification message: sign-up mails only people who sign up over HTTP.
   */
  emailVerified?: boolean;
}

/** Creates a username + password account the way sign-up does (same hashing, same validation). */
export async function createLocalAccount(auth: Auth, account: NewLocalAccount): Promise<{ id: string }> {
  const result = await auth.api.signUpEmail({
    body: { email: account.email, password: account.password, name: account.fullName, username: account.username },
  });
  if (account.emailVerified) {
    await (await auth.$context).internalAdapter.updateUser(result.user.id, { emailVerified: true });
  }
  return { id: result.user.id };
}
