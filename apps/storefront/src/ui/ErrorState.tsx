import { errorMessage } from "../lib/errors.ts";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";

/** A failed load, in plain words, with a way to try again. */
export function ErrorState({ error, onRetry, title = "This didn't load" }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <Alert
      tone="danger"
      title={title}
      actions={
        onRetry && (
          <Button variant="secondary" size="sm" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    >
      {errorMessage(error)}
    </Alert>
  );
}
