import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import type { Parsed } from "../../lib/parsed.ts";
import { useSession } from "../../lib/session.ts";
import { safeNext } from "../../shell/RequireSignIn.tsx";
import { issuesByPath } from "../../lib/issues.ts";
import { focusFirstInvalid } from "./field-errors.ts";

export interface FormAttempt<TWay extends string, T> {
  /** Which submit is under way, for the busy button. */
  way: TWay;
  parse: (form: FormData) => Parsed<T>;
  /** Sends the parsed form; whatever comes after success is done here too. */
  run: (data: T) => Promise<unknown>;
  /** Said when `run` fails without an error message of its own. */
  failure: string;
}

/**
 * The submit of the account pages' forms: parse the form (problems shown at their fields, the first one focused), then
 * run it with the button busy, a failure shown above the form.
 */
export function useFormSubmit<TWay extends string>() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<TWay | null>(null);

  const submitHandler =
    <T>({ way, parse, run, failure }: FormAttempt<TWay, T>) =>
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formElement = event.currentTarget;
      const parsed = parse(new FormData(formElement));
      setFormError(null);
      if (!parsed.success) {
        setErrors(issuesByPath(parsed.error.issues));
        focusFirstInvalid(formElement);
        return;
      }
      setErrors({});
      setBusy(way);
      try {
        await run(parsed.data);
      } catch (e) {
        setFormError(e instanceof Error ? e.message : failure);
      } finally {
        setBusy(null);
      }
    };

  return { errors, formError, setFormError, busy, setBusy, submitHandler };
}

/** What the sign-in and sign-up pages share: where to go on to, and a form submit that ends up signed in there. */
export function useAuthForm<TWay extends string>() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const { isSignedIn } = useSession();
  const form = useFormSubmit<TWay>();

  /** Signs the person in with `run`; they are taken on to `next` after it. */
  const submitHandler = <T>(attempt: FormAttempt<TWay, T>) =>
    form.submitHandler({
      ...attempt,
      run: async (data: T) => {
        await attempt.run(data);
        // Everything cached so far was fetched signed out.
        await queryClient.resetQueries();
        await navigate(next, { replace: true });
      },
    });

  return {
    ...form,
    next,
    // A submit under way signs in before it is done; it goes on to `next` itself once the queries are reset.
    alreadySignedIn: isSignedIn && form.busy === null,
    submitHandler,
  };
}
