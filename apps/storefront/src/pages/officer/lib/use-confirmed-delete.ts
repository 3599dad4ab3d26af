import { useMutation, useQueryClient, type UseMutationOptions } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { errorMessage } from "../../../lib/errors.ts";
import { useTRPC } from "../../../lib/trpc.ts";
import { useAnnounce } from "../../../ui/index.ts";
import { useDisclosure } from "./use-disclosure.ts";

export interface ConfirmedDeleteOptions<TData, TError, TVariables, TContext> {
  clubId: number;
  /** The delete call's mutation options, with `onDeleted` as their success handler. */
  mutationOptions: (onDeleted: () => Promise<void>) => UseMutationOptions<TData, TError, TVariables, TContext>;
  /** Read out once it is gone, since the page the officer was on goes with it. */
  announcement: string;
  leaveTo: string;
}

/**
 * Deleting what an officer page is about, once a ConfirmDialog has asked. The page is left (its address replaced in
 * history) before the club's events are fetched again, so it never shows itself as "not found" on the way out.
 */
export function useConfirmedDelete<TData, TError, TVariables, TContext>({
  clubId,
  mutationOptions,
  announcement,
  leaveTo,
}: ConfirmedDeleteOptions<TData, TError, TVariables, TContext>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const confirm = useDisclosure();
  const mutation = useMutation(
    mutationOptions(async () => {
      announce(announcement);
      confirm.hide();
      await navigate(leaveTo, { replace: true });
      await queryClient.invalidateQueries({ queryKey: trpc.club.events.queryKey({ clubId }) });
    }),
  );

  return {
    /** Opens the question without the refusal from an earlier try. */
    ask: () => {
      mutation.reset();
      confirm.show();
    },
    remove: mutation.mutate,
    /** The ConfirmDialog props that follow the call. */
    dialog: {
      open: confirm.open,
      busy: mutation.isPending,
      error: mutation.isError ? errorMessage(mutation.error) : null,
      onClose: confirm.hide,
    },
  };
}
