import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors.ts";
import type { Parsed } from "../../../lib/parsed.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { useAnnounce } from "../../../ui/index.ts";
import { issuesByPath } from "../../../lib/issues.ts";
import { serverIssues } from "./server-issues.ts";

export interface ClubEventsFormOptions<TSaved> {
  clubId: number;
  onClose: () => void;
  onSaved: (saved: TSaved) => void;
  /** Read out once the server has saved it. */
  savedMessage: (saved: TSaved) => string;
}

/**
 * The errors and save handling of a dialog that creates or changes part of a club's events. Errors sit next to
 * their fields whether the local parse or the server found them; the club's events are fetched again before
 * `onSaved`, so the page behind the dialog already shows the change when it closes.
 */
export function useClubEventsForm<TSaved>({ clubId, onClose, onSaved, savedMessage }: ClubEventsFormOptions<TSaved>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [errors, setErrors] = useState<Record<string, string>>({});

  /** For the create and update mutations alike. */
  const mutationCallbacks = {
    onSuccess: async (saved: TSaved) => {
      announce(savedMessage(saved));
      await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
      onSaved(saved);
    },
    onError: (error: unknown) => setErrors({ ...issuesByPath(serverIssues(error)), form: errorMessage(error) }),
  };

  /** Sends what parsed; otherwise shows why not. */
  const send = <T>(parsed: Parsed<T>, mutate: (data: NoInfer<T>) => void) => {
    if (!parsed.success) return setErrors(issuesByPath(parsed.error.issues));
    setErrors({});
    mutate(parsed.data);
  };

  const close = () => {
    setErrors({});
    onClose();
  };

  return { errors, setErrors, mutationCallbacks, send, close };
}
