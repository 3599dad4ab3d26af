import type { ReactNode } from "react";
import { Link } from "react-router";
import { Card, PageHeader } from "../../ui/index.ts";

export interface AuthPageProps {
  title: string;
  description: string;
  children: ReactNode;
  /** The way across to the other auth page, which keeps where to go on to. */
  switchTo: { path: string; prompt: string; label: string; next: string };
}

/** The frame of the sign-in and sign-up pages. */
export function AuthPage({ title, description, children, switchTo }: AuthPageProps) {
  const { path, prompt, label, next } = switchTo;
  return (
    <div className="auth-page">
      <PageHeader title={title} description={description} />
      <Card>{children}</Card>
      <p className="auth-switch">
        {`${prompt} `}
        <Link to={`${path}${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`}>{label}</Link>
      </p>
    </div>
  );
}
