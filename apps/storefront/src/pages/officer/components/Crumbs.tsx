import { Link } from "react-router";

/** Where this page sits in the dashboard: club › event › showing; the last entry is the current page. */
export function Crumbs({ items }: { items: Array<{ label: string; to?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" className="officer-crumbs">
      <ol className="plain">
        {items.map((item, i) => (
          <li key={i}>{item.to ? <Link to={item.to}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
