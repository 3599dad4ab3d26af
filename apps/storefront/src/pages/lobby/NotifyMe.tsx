import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Alert, Button, useAnnounce } from "../../ui/index.ts";
import { useWaitlistStatus } from "../event/WaitlistBlock.tsx";

/**
 * "Notify me" before an upcoming drop: an e-mail shortly before the lobby opens (or the sale starts), with the link.
 * When it goes out is the server's rule; this shows its answer.
 */
export function NotifyMe({ showingId }: { showingId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const status = useWaitlistStatus(showingId, true);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.waitlist.status.queryKey({ showingId }) });
  const remind = useMutation(
    trpc.waitlist.remind.mutationOptions({
      onSuccess: async (reminder) => {
        setProblem(null);
        announce(reminder.remindAt ? `We'll e-mail you on ${formatDateTime(reminder.remindAt)}.` : "We'll e-mail you before the sale.");
        await refresh();
      },
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );
  const forget = useMutation(
    trpc.waitlist.forget.mutationOptions({
      onSuccess: async () => {
        setProblem(null);
        announce("No reminder will be sent.");
        await refresh();
      },
      onError: (e) => setProblem(errorMessage(e)),
    }),
  );

  const reminder = status.data?.reminder ?? null;
  return (
    <div className="notify-me">
      {reminder ? (
        <>
          <p className="small">
            {reminder.sentAt
              ? "We e-mailed you a reminder."
              : reminder.remindAt
                ? `We'll e-mail you on ${formatDateTime(reminder.remindAt)}, before it opens.`
                : "We'll e-mail you before it opens."}
          </p>
          {!reminder.sentAt && (
            <Button variant="ghost" size="sm" busy={forget.isPending} onClick={() => forget.mutate({ showingId })}>
              Don't remind me
            </Button>
          )}
        </>
      ) : (
        <Button variant="secondary" size="sm" busy={remind.isPending} disabled={status.isPending} onClick={() => remind.mutate({ showingId })}>
          Notify me
        </Button>
      )}
      {problem && (
        <Alert tone="danger" onDismiss={() => setProblem(null)}>
          {problem}
        </Alert>
      )}
    </div>
  );
}
