import { Link, Navigate } from "react-router";
import { ButtonLink, Card, EmptyState, ErrorState, PageHeader, SkeletonList } from "../../ui/index.ts";
import { useManagedClubs } from "./lib/club-events.ts";
import "./officer.css";

const roleNames: Record<string, string> = { OWNER: "Owner", OFFICER: "Officer", MEMBER: "Member" };

/** The clubs the signed-in person runs; with only one, straight to its dashboard. */
export function OfficerHomePage() {
  const clubs = useManagedClubs();
  if (clubs.data?.length === 1) return <Navigate to={`/dashboard/${clubs.data[0]!.id}`} replace />;
  return (
    <>
      <PageHeader title="Club dashboard" description="Choose a club to manage its events, tickets and door devices." />
      {clubs.isPending ? (
        <SkeletonList count={2} height="5rem" label="Loading your clubs" />
      ) : clubs.isError ? (
        <ErrorState error={clubs.error} onRetry={() => void clubs.refetch()} title="Your clubs didn't load" />
      ) : clubs.data.length === 0 ? (
        <EmptyState icon="calendar" title="You don't run any clubs" action={<ButtonLink to="/">See events</ButtonLink>}>
          Club owners and officers manage events here. Ask your club's owner to make you an officer.
        </EmptyState>
      ) : (
        <ul className="plain club-list">
          {clubs.data.map((club) => (
            <Card as="li" key={club.id} className="club-card">
              <Link to={`/dashboard/${club.id}`} className="club-card-link stretched-link">
                {club.name}
              </Link>
              <span className="muted small">{club.role ? roleNames[club.role] : "Site administrator"}</span>
            </Card>
          ))}
        </ul>
      )}
    </>
  );
}
