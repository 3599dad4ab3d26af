import { useQuery } from "@tanstack/react-query";
import { Link, NavLink, useNavigate } from "react-router";
import { useSession, useSignOut } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useAnnounce } from "../ui/Announcer.tsx";

function useCartCount(enabled: boolean): number {
  const trpc = useTRPC();
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled });
  return enabled ? (cart.data?.tickets.length ?? 0) : 0;
}

/** The development mailbox exists only while the server has no SMTP server; a failed probe hides the link. */
function useMailboxAvailable(enabled: boolean): boolean {
  const trpc = useTRPC();
  const probe = useQuery({ ...trpc.mailbox.list.queryOptions({ limit: 1 }), enabled, retry: false, staleTime: 5 * 60_000 });
  return enabled && probe.isSuccess;
}

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? "nav-link nav-link-active" : "nav-link");

export function SiteHeader() {
  const { me, isSignedIn, isPending } = useSession();
  const cartCount = useCartCount(isSignedIn);
  const mailbox = useMailboxAvailable(isSignedIn);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const runsClubs = Boolean(me && (me.isSiteAdmin || me.clubs.some((c) => c.role !== "MEMBER")));

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand" aria-label="Admit, all events">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          <span className="brand-name">Admit</span>
        </Link>
        <nav className="site-nav" aria-label="Main">
          <NavLink to="/" end className={navClass}>
            Events
          </NavLink>
          {isSignedIn && (
            <NavLink to="/tickets" className={navClass}>
              My tickets
            </NavLink>
          )}
          {isSignedIn && (
            <NavLink to="/orders" className={navClass}>
              My orders
            </NavLink>
          )}
          {isSignedIn && (
            <NavLink to="/cart" className={navClass} aria-label={`Cart, ${cartCount} ${cartCount === 1 ? "ticket" : "tickets"}`}>
              Cart
              <span className="nav-count" aria-hidden="true" data-empty={cartCount === 0 || undefined}>
                {cartCount}
              </span>
            </NavLink>
          )}
          {runsClubs && (
            <NavLink to="/dashboard" className={navClass}>
              Club dashboard
            </NavLink>
          )}
          {mailbox && (
            <NavLink to="/mailbox" className={navClass}>
              Mailbox
            </NavLink>
          )}
        </nav>
        <div className="account">
          {isPending ? (
            <span className="account-placeholder" aria-hidden="true" />
          ) : me ? (
            <>
              <Link to="/account" className="account-name" title={`Signed in as ${me.username}: your account`}>
                {me.fullName}
              </Link>
              <button
                type="button"
                className="btn btn-ghost btn-sm on-brand"
                onClick={async () => {
                  const next = await signOut();
                  announce("You are signed out.");
                  await navigate(next);
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <Link to="/sign-in" className="btn btn-ghost btn-sm on-brand">
                Sign in
              </Link>
              <Link to="/sign-up" className="btn btn-accent btn-sm">
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
