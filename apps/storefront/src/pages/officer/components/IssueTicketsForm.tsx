import { issueTicketsSchema } from "@admit/validators";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useFieldArray, useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { errorDetails, errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, EmptyState, Field, Input, Select, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { checkedBy, listError, wholeNumber } from "../lib/offering-rows.ts";
import { useServerIssues } from "../lib/server-issues.ts";

interface IssueValues {
  tickets: Array<{ username: string; type: string; count: string }>;
}

/** The typed lines, checked by the server's own schema, into what the server takes; paths are the form's. */
function issueSchema(showingId: number) {
  const line = z.object({ username: z.string(), type: z.string(), count: z.string() }).transform((l) => ({ ...l, count: wholeNumber(l.count) }));
  return z.object({ tickets: z.array(line) }).transform((values, ctx) => checkedBy(issueTicketsSchema, { showingId, tickets: values.tickets }, ctx));
}

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
  const newLine = () => ({ username: "", type: showing.types[0]?.type ?? "", count: "1" });
  const schema = useMemo(() => issueSchema(showing.id), [showing.id]);
  const form = useForm<IssueValues, unknown, z.output<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { tickets: [newLine()] } });
  const lines = useFieldArray({ control: form.control, name: "tickets" });
  const [serverError, setServerError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const showServerIssues = useServerIssues(form.setError);

  const issue = useMutation(
    trpc.showing.issueTickets.mutationOptions({
      onSuccess: async (result) => {
        const people = new Set(result.issued.map((t) => t.username)).size;
        const text = `Issued ${plural(result.issued.length, "ticket")} to ${plural(people, "person", "people")}. Each of them got an e-mail.`;
        setDone(text);
        announce(text);
        form.reset({ tickets: [newLine()] });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.showing.buyers.queryKey({ showingId: showing.id }) }),
        ]);
      },
      onError: (error, sent) => {
        setServerError(errorMessage(error));
        showServerIssues(error);
        const unknown = unknownNames(error);
        sent.tickets.forEach((line, i) => {
          if (unknown.usernames.includes(line.username.toLowerCase())) form.setError(`tickets.${i}.username`, { message: "No account has this username." });
          if (unknown.types.includes(line.type.toLowerCase())) form.setError(`tickets.${i}.type`, { message: "This showing has no such type." });
        });
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

  const submit = form.handleSubmit(
    (input) => {
      setServerError(null);
      setDone(null);
      issue.mutate(input);
    },
    () => {
      setDone(null);
      setServerError(null);
    },
  );
  const { errors, isSubmitted } = form.formState;
  const formError =
    serverError ?? (isSubmitted && Object.keys(errors).length ? (listError(errors.tickets) ?? "Some lines need attention: see the highlighted fields.") : null);

  return (
    <form className="stack" noValidate aria-label="Issue tickets" onSubmit={(e) => void submit(e)}>
      <p className="muted">
        Give tickets to people by their Admit username, e.g. performers or guests. These are free, ignore the drop
        time and the per-person limit, and can come from types that are not on sale.
      </p>
      {formError && <Alert tone="danger">{formError}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
      <ol className="plain stack-sm">
        {lines.fields.map((line, i) => (
          <IssueLine key={line.id} form={form} index={i} showing={showing} onRemove={lines.fields.length > 1 ? () => lines.remove(i) : undefined} />
        ))}
      </ol>
      <div className="row-between">
        <Button variant="secondary" onClick={() => lines.append(newLine())}>
          Add another person
        </Button>
        <Button type="submit" busy={issue.isPending}>
          Issue tickets
        </Button>
      </div>
    </form>
  );
}

/** One person's line: username, type and how many. */
function IssueLine({ form, index: i, showing, onRemove }: { form: UseFormReturn<IssueValues, unknown, unknown>; index: number; showing: ClubShowing; onRemove: (() => void) | undefined }) {
  const { register, formState, control } = form;
  const lineErrors = formState.errors.tickets?.[i];
  const username = useWatch({ control, name: `tickets.${i}.username` }).trim();
  return (
    <li className="issue-line">
      <Field label="Username" error={lineErrors?.username?.message}>
        {(c) => <Input {...c} {...register(`tickets.${i}.username`)} autoComplete="off" autoCapitalize="none" spellCheck={false} />}
      </Field>
      <Field label="Type" error={lineErrors?.type?.message}>
        {(c) => (
          <Select {...c} {...register(`tickets.${i}.type`)}>
            {showing.types.map((t) => (
              <option key={t.type} value={t.type}>
                {t.type} ({t.issuable} left)
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="How many" error={lineErrors?.count?.message}>
        {(c) => <Input {...c} {...register(`tickets.${i}.count`)} className="officer-count" type="number" inputMode="numeric" min={1} max={100} />}
      </Field>
      {onRemove && (
        <Button variant="ghost" size="sm" className="issue-remove" aria-label={`Remove line ${i + 1}${username ? ` for ${username}` : ""}`} onClick={onRemove}>
          Remove
        </Button>
      )}
    </li>
  );
}
