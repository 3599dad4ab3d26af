import { addTicketsSchema } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { describeGroupDiscount, formatPrice, plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Badge, Button, Card, Field, Input, useAnnounce } from "../../../ui/index.ts";
import type { ClubShowing } from "../lib/club-events.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { blankRow, rowToOffering, type OfferingRow } from "../lib/offering-rows.ts";
import { serverIssues } from "../lib/server-issues.ts";
import { OfferingFields } from "./OfferingFields.tsx";

interface Props {
  clubId: number;
  showing: ClubShowing;
  /** Why the list can no longer be rewritten. */
  reason: "sold" | "in-use";
}

/** After sales start: more tickets of an existing type (same price and rules), or a new type. Nothing is removed. */
export function AddTicketsForm({ clubId, showing, reason }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [more, setMore] = useState<Record<string, string>>({});
  const [rows, setRows] = useState<OfferingRow[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);

  const add = useMutation(
    trpc.showing.addTickets.mutationOptions({
      onSuccess: async (result) => {
        const text = `Added ${plural(result.created, "ticket")}.`;
        setSaved(text);
        announce(text);
        setMore({});
        setRows([]);
        await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
      },
      onError: (error) => setErrors({ ...issuesByPath(serverIssues(error)), form: errorMessage(error) }),
    }),
  );

  const submit = () => {
    setSaved(null);
    // Lines are sent in this order, so server paths (tickets.N.field) map back to the boxes.
    const existing = showing.types
      .filter((t) => (more[t.type] ?? "").trim() !== "")
      .map((t) => ({ key: `more:${t.type}`, line: { type: t.type, count: Number(more[t.type]) } }));
    const fresh = rows.map((row) => ({ key: row.key, ...rowToOffering(row) }));
    const lines = [...existing.map((e) => e.line), ...fresh.map((f) => f.offering)];
    const parsed = addTicketsSchema.safeParse({ showingId: showing.id, tickets: lines });
    const byPath = parsed.success ? {} : issuesByPath(parsed.error.issues);
    const found: Record<string, string> = {};
    existing.forEach((e, i) => {
      const message = byPath[`tickets.${i}.count`];
      if (message) found[e.key] = message;
    });
    fresh.forEach((f, j) => {
      const i = existing.length + j;
      for (const field of ["type", "count", "price", "groupDiscount", "groupSize"]) {
        const message = f.problems[field] ?? byPath[`tickets.${i}.${field}`];
        if (message) found[`${f.key}.${field}`] = message;
      }
    });
    if (!parsed.success || Object.keys(found).length) {
      setErrors({ ...found, form: byPath.tickets ?? (lines.length ? "Some lines need attention: see the highlighted fields." : "Say how many tickets to add.") });
      return;
    }
    setErrors({});
    add.mutate(parsed.data);
  };

  return (
    <form
      className="stack"
      noValidate
      aria-label="Add tickets"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="muted">
        {reason === "sold"
          ? "Tickets of this showing are already sold or in checkouts, so existing tickets stay as they are. You can add more tickets of a type, or a new type."
          : "Some tickets are in use (being paid for, transferred or scanned), so you can only add tickets."}
      </p>
      {errors.form && <Alert tone="danger">{errors.form}</Alert>}
      {saved && <Alert tone="success">{saved}</Alert>}
      {showing.types.length > 0 && (
        <section className="stack-sm" aria-labelledby="current-types-title">
          <h2 id="current-types-title" className="card-title">
            Current ticket types
          </h2>
          <ul className="plain card-grid type-cards">
            {showing.types.map((t) => {
              const key = `more:${t.type}`;
              return (
                <Card as="li" key={t.type} className="stack-sm type-card">
                  <div className="type-card-head">
                    <h3 className="type-card-name">{t.type}</h3>
                    <strong>{formatPrice(t.price)}</strong>
                  </div>
                  <p className="muted small">
                    {t.total} listed · {t.sold} sold · {t.held} held · {t.available} available
                  </p>
                  <span className="type-rules">
                    {t.groupDiscount && Number(t.groupDiscount.fraction) > 0 && (
                      <span className="small">{describeGroupDiscount(t.type, t.groupDiscount)}</span>
                    )}
                    {!t.transferable && <Badge tone="neutral">Not transferable</Badge>}
                    {!t.buyable && <Badge tone="info">Issued by hand</Badge>}
                  </span>
                  <Field label={`Add more ${t.type} tickets`} error={errors[key]}>
                    {(control) => (
                      <Input
                        {...control}
                        className="officer-count"
                        type="number"
                        inputMode="numeric"
                        min={1}
                        value={more[t.type] ?? ""}
                        onChange={(e) => setMore((m) => ({ ...m, [t.type]: e.target.value }))}
                      />
                    )}
                  </Field>
                </Card>
              );
            })}
          </ul>
        </section>
      )}
      {rows.map((row, i) => (
        <OfferingFields
          key={row.key}
          row={row}
          index={i}
          legend={row.type.trim() ? `New ticket type: ${row.type.trim()}` : `New ticket type ${i + 1}`}
          errors={{
            type: errors[`${row.key}.type`],
            count: errors[`${row.key}.count`],
            price: errors[`${row.key}.price`],
            groupDiscount: errors[`${row.key}.groupDiscount`],
            groupSize: errors[`${row.key}.groupSize`],
          }}
          onChange={(next) => setRows((all) => all.map((r) => (r.key === row.key ? next : r)))}
          onRemove={() => setRows((all) => all.filter((r) => r.key !== row.key))}
        />
      ))}
      <div className="row-between">
        <Button variant="secondary" onClick={() => setRows((all) => [...all, blankRow()])}>
          Add a new ticket type
        </Button>
        <Button type="submit" busy={add.isPending}>
          Add tickets
        </Button>
      </div>
    </form>
  );
}
