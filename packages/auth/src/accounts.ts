import type { Auth } from "./auth.ts";

export interface NewLocalAccount {
  username: string;
  password: string;
  email: string;
  fullName: string;
}

/** Creates a username + password account the way sign-up does (same hashing, same validation). */
export async function createLocalAccount(auth: Auth, account: NewLocalAccount): Promise<{ id: string }> {
  const result = await auth.api.signUpEmail({
    body: { email: account.email, password: account.password, name: account.fullName, username: account.username },
  });
  return { id: result.user.id };
}
