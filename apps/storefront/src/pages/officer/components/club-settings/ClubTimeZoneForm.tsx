import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { errorMessage } from "../../../../lib/errors.ts";
import { useTRPC } from "../../../../lib/trpc.ts";
import { Alert, Button, Field, Select, useAnnounce } from "../../../../ui/index.ts";
import "./club-settings.css";

const SITE_ZONE = "";

/** Every IANA zone the browser knows, plus UTC (which Intl does not list). */
function zoneNames(current: string | null): string[] {
  const names = new Set(Intl.supportedValuesOf("timeZone"));
  names.add("UTC");
  if (current) names.add(current);
  return [...names].sort();
}

/**
 * The club's time zone: e-mails, CSV files, calendar files and the finance months are written in it. The server
 * checks the name; the list only offers what the browser knows.
 */
export function ClubTimeZoneForm({ clubId }: { clubId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const settings = useQuery({ ...trpc.club.settings.queryOptions({ clubId }), enabled: clubId > 0 });
  const [choice, setChoice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const saved = settings.data?.timeZone ?? SITE_ZONE;
  const value = choice ?? saved;
  const zones = useMemo(() => zoneNames(settings.data?.timeZone ?? null), [settings.data?.timeZone]);
  const save = useMutation(
    trpc.club.updateSettings.mutationOptions({
      onSuccess: async (result) => {
        setChoice(null);
        announce(`Time zone saved: ${result.effectiveTimeZone}${result.timeZone === null ? " (the site's)" : ""}.`);
        queryClient.setQueryData(trpc.club.settings.queryKey({ clubId }), result);
        await queryClient.invalidateQueries({ queryKey: trpc.club.finance.queryKey({ clubId }) });
      },
      onError: (error) => setFailure(errorMessage(error)),
    }),
  );
  if (!settings.data) return null;
  return (
    <form
      className="stack-sm club-zone"
      aria-labelledby="club-zone-title"
      data-testid="club-time-zone"
      onSubmit={(e) => {
        e.preventDefault();
        setFailure(null);
        save.mutate({ clubId, timeZone: value === SITE_ZONE ? null : value });
      }}
    >
      <h2 id="club-zone-title" className="section-title">
        Time zone
      </h2>
      {failure && (
        <Alert tone="danger" onDismiss={() => setFailure(null)}>
          {failure}
        </Alert>
      )}
      <Field
        label="Club time zone"
        hint={`Times in e-mails, CSV files and calendar files are written in this zone. Now: ${settings.data.effectiveTimeZone}.`}
      >
        {(control) => (
          <Select {...control} value={value} onChange={(e) => setChoice(e.target.value)}>
            <option value={SITE_ZONE}>The site's zone ({settings.data.siteTimeZone})</option>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div>
        <Button type="submit" variant="secondary" busy={save.isPending} disabled={value === saved}>
          Save time zone
        </Button>
      </div>
    </form>
  );
}
