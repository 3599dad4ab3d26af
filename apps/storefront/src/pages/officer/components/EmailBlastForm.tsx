import { emailBlastSchema } from "@admit/validators";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { plural } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Button, Field, Textarea, useAnnounce } from "../../../ui/index.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";

/** One e-mail to every ticket holder of the showing (each gets their own message; nobody sees the others). */
export function EmailBlastForm({ showingId, eventName }: { showingId: number; eventName: string }) {
  const trpc = useTRPC();
  const announce = useAnnounce();
  const buyers = useQuery(trpc.showing.buyers.queryOptions({ showingId }));
  const [message, setMessage] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const people = new Set(buyers.data?.buyers.map((b) => b.username)).size;

  const blast = useMutation(
    trpc.showing.emailBlast.mutationOptions({
      onSuccess: (result) => {
        const skipped = result.skippedUnverified
          ? ` ${plural(result.skippedUnverified, "ticket holder", "ticket holders")} left out: their e-mail address is not confirmed.`
          : "";
        const text = `Sent to ${plural(result.recipients, "person", "people")}.${skipped}`;
        setSent(text);
        announce(text);
        setMessage("");
        setConfirming(false);
      },
    }),
  );

  const review = () => {
    setSent(null);
    const parsed = emailBlastSchema.safeParse({ showingId, message });
    if (!parsed.success) {
      setFieldError(issuesByPath(parsed.error.issues).message ?? "Write a message to send.");
      return;
    }
    setFieldError(null);
    blast.reset();
    setConfirming(true);
  };

  return (
    <form
      className="stack"
      noValidate
      aria-label="E-mail ticket holders"
      onSubmit={(e) => {
        e.preventDefault();
        review();
      }}
    >
      <p className="muted">
        Each ticket holder gets a separate e-mail about {eventName}, e.g. a change of room or what to bring.
        {people > 0 ? ` This showing has ${plural(people, "ticket holder")}.` : ""}
      </p>
      {sent && <Alert tone="success">{sent}</Alert>}
      <Field label="Message" hint="Plain text, up to 10,000 characters." error={fieldError}>
        {(control) => <Textarea {...control} value={message} onChange={(e) => setMessage(e.target.value)} rows={6} maxLength={10_000} />}
      </Field>
      <div className="row">
        <Button type="submit" disabled={buyers.isSuccess && people === 0}>
          Review and send
        </Button>
        {buyers.isSuccess && people === 0 && <span className="muted small">Nobody holds a ticket yet.</span>}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Send this e-mail?"
        confirmLabel={`Send to ${plural(people, "person", "people")}`}
        tone="primary"
        busy={blast.isPending}
        error={blast.isError ? errorMessage(blast.error) : null}
        onClose={() => setConfirming(false)}
        onConfirm={() => blast.mutate({ showingId, message: message.trim() })}
      >
        <p>Everyone holding a ticket for this showing gets this message. You can't take it back.</p>
        <blockquote className="blast-preview">{message.trim()}</blockquote>
      </ConfirmDialog>
    </form>
  );
}
