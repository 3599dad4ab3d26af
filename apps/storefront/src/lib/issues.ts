/** A zod issue as both zod and the server's error data carry it. */
export interface Issue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

/**
 * The first message per field, keyed by the dotted path ("name", "offerings.2.price"), so each input can show its
 * own error. Issues without a path land under "form".
 */
export function issuesByPath(issues: readonly Issue[], drop = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.slice(drop).map(String).join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}
