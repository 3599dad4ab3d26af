import { transferBodySchema } from "@admit/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import type { Outputs } from "../../lib/api-types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDay, formatTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Button, Dialog, TextField, useAnnounce } from "../../ui/index.ts";

type Ticket = Outputs["ticket"]["get"];

/** Two steps: say who, then confirm, because the sender's QR code stops working at once and it can't be undone. */
export function TransferDialog({ ticket, open, onClose }: { ticket: Ticket; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [username, setUsername] = useState("");
  const [step, setStep] = useState<"who" | "confirm">("who");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);

  const close = () => {
    setStep("who");
    setServerError(null);
    setFieldError(null);
    onClose();
  };

  const transfer = useMutation(
    trpc.ticket.transfer.mutationOptions({
      onSuccess: async (result) => {
        const message = `Your ${ticket.type} ticket for ${ticket.event.name} now belongs to @${result.receiver}.`;
        announce(message);
        await queryClient.invalidateQueries({ queryKey: trpc.ticket.pathKey() });
        close();
        await navigate("/tickets", { state: { flash: message } });
      },
      onError: (error) => {
        setServerError(errorMessage(error));
        setStep("who");
      },
    }),
  );

  const next = () => {
    const parsed = transferBodySchema.safeParse({ username });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? "Give a username.");
      return;
    }
    setUsername(parsed.data.username);
    setFieldError(null);
    setServerError(null);
    setStep("confirm");
  };

  const when = `${formatDay(ticket.showing.start_time)} at ${formatTime(ticket.showing.start_time)}`;
  return (
    <Dialog
      open={open}
      onClose={close}
      title={step === "who" ? "Transfer this ticket" : "Send this ticket?"}
      footer={
        step === "who" ? (
          <>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" form="transfer-form">
              Continue
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={() => setStep("who")} disabled={transfer.isPending}>
              Go back
            </Button>
            <Button variant="danger" busy={transfer.isPending} onClick={() => transfer.mutate({ id: ticket.id, username })}>
              Send ticket to @{username}
            </Button>
          </>
        )
      }
    >
      {serverError && <Alert tone="danger">{serverError}</Alert>}
      {step === "who" ? (
        <form
          id="transfer-form"
          className="stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            next();
          }}
        >
          <p>Give the ticket to another student with an Admit account. They'll get an e-mail, and the ticket appears in their tickets.</p>
          <TextField
            label="Their username"
            name="username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            error={fieldError}
            autoFocus
          />
        </form>
      ) : (
        <div className="stack-sm">
          <p>
            You're sending your <strong>{ticket.type}</strong> ticket for <strong>{ticket.event.name}</strong> ({when}) to{" "}
            <strong>@{username}</strong>.
          </p>
          <Alert tone="warning">
            Your QR code stops working right away and you can't undo this. Only @{username} can send it back.
          </Alert>
        </div>
      )}
    </Dialog>
  );
}
