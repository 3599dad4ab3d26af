import { issueTicketsSchema } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorDetails, errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, EmptyState, Field, Input, Select, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { issuesByPath } from "../../../lib/issues.ts";

interface Line {
  key: number;
  username: string;
  type: string;
  count: string;
}

let sequence = 0;

/** The usernames and types the server said it does not know, so the lines that name them can be marked. */
function unknownNames(error: unknown): { usernames: string[]; types: string[] } {
  const details = errorDetails(error);
  const list = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v).toLowerCase()) : []);
  return { usernames: list(details.unknownUsernames), types: list(details.unknownTypes) };
}

/** Complimentary tickets to named students: all lines are issued or none, and each person gets an e-mail. */
export function IssueTicketsForm({ clubId, showing }: { clubId: number; showing: ClubShowing }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const firstType = showing.types[0]?.type ?? "";
  const newLine = (): Line => ({ key: ++sequence, username: "", type: firstType, count: "1" });
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);

  const issue = useMutation(
    trpc.showing.issueTickets.mutationOptions({
      onSuccess: async (result) => {
        const people = new Set(result.issued.map((t) => t.username)).size;
        const text = `Issued ${plural(result.issued.length, "ticket")} to ${plural(people, "person", "people")}. Each of them got an e-mail.`;
        setDone(text);
        announce(text);
        setLines([newLine()]);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.showing.buyers.queryKey({ showingId: showing.id }) }),
        ]);
      },
      onError: (error) => {
        const unknown = unknownNames(error);
        const found: Record<string, string> = { form: errorMessage(error) };
        lines.forEach((line, i) => {
          if (unknown.usernames.includes(line.username.trim().toLowerCase())) found[`tickets.${i}.username`] = "No account has this username.";
          if (unknown.types.includes(line.type.toLowerCase())) found[`tickets.${i}.type`] = "This showing has no such type.";
        });
        setErrors(found);
      },
    }),
  );

  if (showing.types.length === 0) {
    return (
      <EmptyState icon="ticket" title="No tickets to issue yet">
        List ticket types for this showing first, under Ticket types.
      </EmptyState>
    );
  }

  const submit = () => {
    setDone(null);
    const parsed = issueTicketsSchema.safeParse({
      showingId: showing.id,
      tickets: lines.map((l) => ({ username: l.username, type: l.type, count: l.count.trim() === "" ? Number.NaN : Number(l.count) })),
    });
    if (!parsed.success) {
      const found = issuesByPath(parsed.error.issues);
      setErrors({ ...found, form: found.tickets ?? "Some lines need attention: see the highlighted fields." });
      return;
    }
    setErrors({});
    issue.mutate(parsed.data);
  };

  const update = (key: number, change: Partial<Line>) => setLines((all) => all.map((l) => (l.key === key ? { ...l, ...change } : l)));

  return (
    <form
      className="stack"
      noValidate
      aria-label="Issue tickets"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="muted">
        Give tickets to people by their Admit username, e.g. performers or guests. These are free, ignore the drop
        time and the per-person limit, and can come from types that are not on sale.
      </p>
      {errors.form && <Alert tone="danger">{errors.form}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      <ol className="plain stack-sm">
        {lines.map((line, i) => (
          <li key={line.key} className="issue-line">
            <Field label="Username" error={errors[`tickets.${i}.username`]}>
              {(control) => (
                <Input
                  {...control}
                  value={line.username}
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  onChange={(e) => update(line.key, { username: e.target.value })}
                />
              )}
            </Field>
            <Field label="Type" error={errors[`tickets.${i}.type`]}>
              {(control) => (
                <Select {...control} value={line.type} onChange={(e) => update(line.key, { type: e.target.value })}>
                  {showing.types.map((t) => (
                    <option key={t.type} value={t.type}>
                      {t.type} ({t.total - t.sold - t.held} left)
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="How many" error={errors[`tickets.${i}.count`]}>
              {(control) => (
                <Input {...control} className="officer-count" type="number" inputMode="numeric" min={1} max={100} value={line.count} onChange={(e) => update(line.key, { count: e.target.value })} />
              )}
            </Field>
            {lines.length > 1 && (
              <Button
                variant="ghost"
                size="sm"
                className="issue-remove"
                aria-label={`Remove line ${i + 1}${line.username.trim() ? ` for ${line.username.trim()}` : ""}`}
                onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}
              >
                Remove
              </Button>
            )}
          </li>
        ))}
      </ol>
      <div className="row-between">
        <Button variant="secondary" onClick={() => setLines((all) => [...all, newLine()])}>
          Add another person
        </Button>
        <Button type="submit" busy={issue.isPending}>
          Issue tickets
        </Button>
      </div>
    </form>
  );
}
