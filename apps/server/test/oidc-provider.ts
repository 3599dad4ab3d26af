// A real OpenID Connect provider for tests: node-oidc-provider (a certified implementation) on 127.0.0.1, with its
// development login and consent pages (any password is accepted; the login is the campus user's `sub`).
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface CampusUser {
  sub: string;
  email: string;
  name: string;
  preferred_username: string;
  /** What the provider says about the address (true unless told). */
  email_verified?: boolean;
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post";

export interface CampusProviderOptions {
  users: CampusUser[];
  /** Admit's PUBLIC_URL (or several Admit servers'): the client's redirect and post-logout redirect URIs. */
  admitUrls: string[];
  /** The port to listen on (a fixed one lets a test stop the provider and bring it back at the same issuer). */
  port?: number;
  /** Methods the provider allows and advertises in discovery (both unless told). */
  clientAuthMethods?: ClientAuthMethod[];
  /** The method the client is registered with; the provider refuses any other (client_secret_basic unless told). */
  clientAuthMethod?: ClientAuthMethod;
  /** RP-initiated logout (end_session_endpoint in discovery); on unless told. */
  endSession?: boolean;
  /** The client secret the provider expects (random unless told). */
  clientSecret?: string;
}

export interface CampusProvider {
  issuer: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** Environment for Admit's campus sign-on. */
  env: Record<string, string>;
  /** Another campus person who can sign in from now on. */
  addUser(user: CampusUser): void;
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

/** Starts node-oidc-provider with one confidential client for Admit. */
export async function startCampusProvider(options: CampusProviderOptions): Promise<CampusProvider> {
  const clientId = "admit";
  const clientSecret = options.clientSecret ?? randomBytes(16).toString("hex");
  const users = new Map(options.users.map((u) => [u.sub, u]));
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const client: ClientMetadata = {
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: options.admitUrls.map((url) => `${url}/api/auth/callback/campus`),
    post_logout_redirect_uris: options.admitUrls.map((url) => `${url}/signed-out`),
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: options.clientAuthMethod ?? "client_secret_basic",
  };
  const configuration: Configuration = {
    clients: [client],
    clientAuthMethods: options.clientAuthMethods ?? ["client_secret_basic", "client_secret_post"],
    cookies: { keys: [randomBytes(16).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    pkce: { required: () => true },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: user.email,
          email_verified: user.email_verified ?? true,
          name: user.name,
          preferred_username: user.preferred_username,
        }),
      };
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: options.endSession ?? true,
        // The library's own pages load a web font from the internet, which tests cannot reach.
        logoutSource: (ctx, form) => {
          ctx.body = page(
            "Sign out of campus?",
            `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page("Signed out of campus", "");
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Campus provider error", `<pre>${JSON.stringify(out).replace(/</g, "&lt;")}</pre>`);
    },
  };
  const provider = new Provider(issuer, configuration);
  // The development login pages warn about being for development only, on every start.
  provider.on("server_error", (_ctx, error) => console.error("campus provider error", error));
  const handle = provider.callback();
  server.on("request", (req, res) => void handle(req, res));

  return {
    issuer,
    port,
    clientId,
    clientSecret,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret },
    addUser: (user) => users.set(user.sub, user),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The provider's part of a sign-in for tests without a browser: from the authorization URL through the development
 * login (as `sub`) and consent pages, carrying the provider's cookies, to the redirect back to Admit's callback
 * (returned, not followed).
 */
export async function authorizeWithoutBrowser(authorizationUrl: string, sub: string): Promise<string> {
  const jar = new Map<string, string>();
  const origin = new URL(authorizationUrl).origin;
  const send = async (url: string, form?: Record<string, string>) => {
    const res = await fetch(url, {
      redirect: "manual",
      method: form ? "POST" : "GET",
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!, value.join("="));
    }
    return res;
  };
  let res = await send(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, origin);
      if (next.origin !== origin) return next.toString();
      res = await send(next.toString());
      continue;
    }
    const html = await res.text();
    const action = new URL(/action="([^"]+)"/.exec(html)?.[1] ?? "", origin).toString();
    res = html.includes('name="prompt" value="login"')
      ? await send(action, { prompt: "login", login: sub, password: "campus password" })
      : await send(action, { prompt: "consent" });
  }
  throw new Error("the provider never sent the browser back to Admit");
}
