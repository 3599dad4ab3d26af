import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import { formatDateTime } from "../../../lib/format.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { Alert, Badge, Button, Card, Field, Textarea, TextField, useAnnounce } from "../../../ui/index.ts";
import { fromLocalInput, localZoneName, toLocalInput } from "../lib/datetime.ts";
import type { ClubShowing, ShowingType } from "../lib/club-events.ts";
import { ActionDialog } from "./ActionDialog.tsx";

/** After any change the club's events (and with them these controls) are read again from the server. */
function useRefreshEvents(clubId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
}

/**
 * Officers' selling controls for one showing: pause and resume all sales, each type's pause, sales end and return
 * deadline, and cancelling the showing. What is on sale is decided by the server; this panel shows its answer.
 */
export function SellingControls({ clubId, showing }: { clubId: number; showing: ClubShowing }) {
  if (showing.cancelledAt) {
    return (
      <Alert tone="danger" title="This showing is cancelled">
        Cancelled {formatDateTime(showing.cancelledAt)}
        {showing.cancelReason ? `: ${showing.cancelReason}${/[.!?]$/.test(showing.cancelReason) ? "" : "."}` : "."} Its
        tickets were voided and every holder was e-mailed. Paid tickets are refunded; a refund the club makes by hand is
        listed under Money that needs you on the club dashboard until it is marked done.
      </Alert>
    );
  }
  return (
    <section className="stack" aria-label="Selling controls">
      <ShowingSwitch clubId={clubId} showing={showing} />
      {showing.types.length > 0 && (
        <ul className="plain stack-sm" aria-label="Selling controls per ticket type">
          {showing.types.map((type) => (
            <TypeControls key={type.type} clubId={clubId} showingId={showing.id} type={type} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShowingSwitch({ clubId, showing }: { clubId: number; showing: ClubShowing }) {
  const trpc = useTRPC();
  const announce = useAnnounce();
  const refresh = useRefreshEvents(clubId);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const toggle = useMutation(
    trpc.showing.update.mutationOptions({
      onSuccess: async (result) => {
        setError(null);
        announce(result.salesPaused ? "Sales paused." : "Sales resumed.");
        await refresh();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <div className="sale-settings">
      <p>
        {showing.salesPaused ? (
          <>
            <Badge tone="warning">Sales paused</Badge> Students cannot add or buy tickets until you resume. You can still
            give complimentary tickets.
          </>
        ) : (
          <>Sales are not paused.</>
        )}
      </p>
      <div className="row">
        <Button
          variant="secondary"
          size="sm"
          busy={toggle.isPending}
          onClick={() => toggle.mutate({ showingId: showing.id, salesPaused: !showing.salesPaused })}
        >
          {showing.salesPaused ? "Resume sales" : "Pause sales"}
        </Button>
        <Button variant="danger" size="sm" onClick={() => setCancelling(true)}>
          Cancel showing
        </Button>
      </div>
      {error && <Alert tone="danger">{error}</Alert>}
      {cancelling && <CancelShowingDialog clubId={clubId} showing={showing} onClose={() => setCancelling(false)} />}
    </div>
  );
}

function CancelShowingDialog({ clubId, showing, onClose }: { clubId: number; showing: ClubShowing; onClose: () => void }) {
  const trpc = useTRPC();
  const announce = useAnnounce();
  const refresh = useRefreshEvents(clubId);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const cancel = useMutation(
    trpc.showing.cancel.mutationOptions({
      onSuccess: async (result) => {
        announce(`The showing was cancelled. ${result.ordersRefunded} orders refunded or voided.`);
        await refresh();
        onClose();
      },
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );
  const tooShort = reason.trim().length < 3;
  return (
    <ActionDialog
      open
      onClose={onClose}
      title="Cancel this showing?"
      busy={cancel.isPending}
      error={problem}
      focusCancel
      action={
        <Button
          variant="danger"
          busy={cancel.isPending}
          disabled={tooShort}
          onClick={() => cancel.mutate({ showingId: showing.id, reason: reason.trim() })}
        >
          Cancel showing and refund everyone
        </Button>
      }
    >
      <div className="stack-sm">
        <p>
          Sales stop for good. Every ticket of this showing is voided ({showing.sold} sold): paid orders are refunded in
          full, free and complimentary tickets are cancelled, and every holder gets an e-mail with your reason. Doors
          refuse the tickets after their next sync. This cannot be undone.
        </p>
        <Field label="Reason (holders read it)" hint="At least 3 characters.">
          {(control) => <Textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={1000} />}
        </Field>
      </div>
    </ActionDialog>
  );
}

/** One type's switch and settings; the hours field empty means no returns, the date empty means no sales end. */
function TypeControls({ clubId, showingId, type }: { clubId: number; showingId: number; type: ShowingType }) {
  const trpc = useTRPC();
  const announce = useAnnounce();
  const refresh = useRefreshEvents(clubId);
  const [salesEnd, setSalesEnd] = useState(toLocalInput(type.salesEndAt));
  const [returnHours, setReturnHours] = useState(type.returnHoursBefore === null ? "" : String(type.returnHoursBefore));
  const exchangeHint = useId();
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.showing.updateType.mutationOptions({
      onSuccess: async (result) => {
        setError(null);
        announce(`Saved ${result.type}.`);
        await refresh();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const save = () => {
    const end = salesEnd ? fromLocalInput(salesEnd) : null;
    if (end === undefined) return setError("The sales end is not a date and time we can read.");
    const hours = returnHours.trim() === "" ? null : Number(returnHours);
    if (hours !== null && !Number.isInteger(hours)) return setError("Give the return deadline as a whole number of hours.");
    update.mutate({ showingId, type: type.type, salesEndAt: end, returnHoursBefore: hours });
  };
  return (
    <Card as="li" className="stack-sm type-card">
      <div className="type-card-head">
        <h3 className="type-card-name">{type.type}</h3>
        {type.saleStatus === "PAUSED" ? (
          <Badge tone="warning">Sales paused</Badge>
        ) : type.saleStatus === "SALES_ENDED" ? (
          <Badge tone="neutral">Sales ended</Badge>
        ) : (
          <Badge tone="success">Selling</Badge>
        )}
      </div>
      <div className="row">
        <Button
          variant="secondary"
          size="sm"
          busy={update.isPending}
          aria-label={`${type.salesPaused ? "Resume" : "Pause"} ${type.type} sales`}
          onClick={() => update.mutate({ showingId, type: type.type, salesPaused: !type.salesPaused })}
        >
          {type.salesPaused ? "Resume" : "Pause"}
        </Button>
      </div>
      <div>
        <label className="officer-check">
          <input
            type="checkbox"
            checked={type.exchangeAllowed}
            disabled={update.isPending}
            aria-describedby={exchangeHint}
            onChange={(e) => update.mutate({ showingId, type: type.type, exchangeAllowed: e.target.checked })}
          />
          <span>Allow exchange of {type.type} tickets</span>
        </label>
        <p className="muted small" id={exchangeHint}>
          Holders who can't go may offer the ticket at face value: the waitlist gets it first, and they are refunded what they paid
          once it sells.
        </p>
      </div>
      <TextField
        label={`${type.type}: sales end (${localZoneName()})`}
        hint="Empty: on sale until the showing ends."
        type="datetime-local"
        value={salesEnd}
        onChange={(e) => setSalesEnd(e.target.value)}
      />
      <TextField
        label={`${type.type}: returns until how many hours before the start`}
        hint="Empty: no returns. 0: until the showing starts."
        type="number"
        inputMode="numeric"
        min={0}
        value={returnHours}
        onChange={(e) => setReturnHours(e.target.value)}
      />
      {error && <Alert tone="danger">{error}</Alert>}
      <div className="row">
        <Button size="sm" busy={update.isPending} onClick={save}>
          Save {type.type} settings
        </Button>
      </div>
    </Card>
  );
}
