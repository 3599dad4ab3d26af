import type { CSSProperties } from "react";

/** A grey placeholder of the size of what is loading, so nothing jumps when it arrives. */
export function Skeleton({ width, height = "1em", radius, style }: { width?: string; height?: string; radius?: string; style?: CSSProperties }) {
  return <span className="skeleton" aria-hidden="true" style={{ width, height, borderRadius: radius, ...style }} />;
}

export function SkeletonText({ lines = 3 }: { lines?: number }) {
  return (
    <span className="skeleton-text" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={i === lines - 1 ? "60%" : "100%"} />
      ))}
    </span>
  );
}

/** Placeholder cards while a list loads; `label` is what a screen reader hears meanwhile. */
export function SkeletonList({ count = 3, height = "6.5rem", label = "Loading" }: { count?: number; height?: string; label?: string }) {
  return (
    <div className="skeleton-list" role="status" aria-label={label}>
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height={height} width="100%" radius="var(--radius-lg)" />
      ))}
    </div>
  );
}
