import type { HTMLAttributes, ReactNode } from "react";

export interface CardProps extends HTMLAttributes<HTMLElement> {
  as?: "section" | "article" | "div" | "li";
  padded?: boolean;
  children: ReactNode;
}

export function Card({ as: Tag = "section", padded = true, className, children, ...rest }: CardProps) {
  return (
    <Tag {...rest} className={["card", padded ? "card-padded" : "", className ?? ""].filter(Boolean).join(" ")}>
      {children}
    </Tag>
  );
}

export function CardTitle({ children, level = 2, id }: { children: ReactNode; level?: 2 | 3; id?: string }) {
  const Tag = level === 2 ? "h2" : "h3";
  return (
    <Tag className="card-title" id={id}>
      {children}
    </Tag>
  );
}
