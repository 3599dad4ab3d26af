import type { AppRouter } from "@admit/api/types";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { openPushStream } from "./sync/push.ts";

function createClient(baseUrl: string, token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        // One call per request: an upload batch and a download must never share (and wait for) one response.
        maxItems: 1,
      }),
    ],
  });
}

type Client = ReturnType<typeof createClient>;
export type Manifest = Awaited<ReturnType<Client["door"]["manifest"]["query"]>>;
export type Changes = Awaited<ReturnType<Client["door"]["changes"]["query"]>>;
export type UploadResult = Awaited<ReturnType<Client["door"]["upload"]["mutate"]>>["results"][number];
export type PairResult = Awaited<ReturnType<Client["kiosk"]["pair"]["mutate"]>>;
/** A scan as the server takes it (door.upload). */
export type UploadScan = Parameters<Client["door"]["upload"]["mutate"]>[0]["scans"][number];

/** What the sync loops need from the server; the kiosk's tests stand in for it without a network. */
export interface DoorApi {
  manifest(): Promise<Manifest>;
  /** `unsent`: scans still waiting in the outbox, reported so an officer revoking this door knows what it holds. */
  changes(cursor: string, unsent?: number): Promise<Changes>;
  /** `unsent`: scans still waiting besides these. */
  upload(scans: UploadScan[], unsent?: number): Promise<{ results: UploadResult[] }>;
  /** Opens the server's push stream; `changed` runs when the door should pull now. Returns a close function. */
  push?(changed: () => void): () => void;
}

/** The paired device's view of the server: every call carries its device token. */
export function createDoorApi(token: string, baseUrl = ""): DoorApi {
  const client = createClient(baseUrl, token);
  return {
    manifest: () => client.door.manifest.query(),
    changes: (cursor, unsent) => client.door.changes.query({ cursor, unsent }),
    upload: (scans, unsent) => client.door.upload.mutate({ scans, unsent }),
    push: (changed) => openPushStream(`${baseUrl}/api/door/stream`, token, changed),
  };
}

/** Trades a pairing code for a device token (the only call a kiosk makes before it is paired). */
export function pairDevice(code: string, baseUrl = ""): Promise<PairResult> {
  return createClient(baseUrl, null).kiosk.pair.mutate({ code });
}

/**
 * How a failed call should be handled:
 * - unpaired: the device was revoked (or its token replaced): stop and wipe
 * - refused: the server looked at the request and said no (4xx); sending it again cannot help
 * - failing: the server answered with an error of its own (5xx): try again later
 * - unreachable: no answer at all (network down, server gone): try again later
 */
export type FailureKind = "unpaired" | "refused" | "failing" | "unreachable";

export function classifyFailure(error: unknown): FailureKind {
  if (!(error instanceof TRPCClientError)) return "unreachable";
  const data = error.data as { appCode?: string; httpStatus?: number } | undefined;
  if (data?.appCode === "DEVICE_REVOKED" || data?.appCode === "UNAUTHENTICATED") return "unpaired";
  const status = data?.httpStatus;
  if (status === undefined) return "unreachable";
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return "refused";
  return "failing";
}

export function failureMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
