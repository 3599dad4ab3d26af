import type { ReactNode } from "react";
import { formatUsd } from "../../../../lib/format.ts";
import { Table } from "../../../../ui/index.ts";

export interface FinanceRow {
  key: string;
  label: ReactNode;
  sales: string;
  refunded: string;
  net: string;
  owed: string;
  orders: number;
  tickets: number;
}

/** Sales, refunds, net and money owed, one row per month or per event. */
export function FinanceTable({ caption, heading, rows, testId }: { caption: string; heading: string; rows: FinanceRow[]; testId: string }) {
  return (
    <Table caption={caption} className="finance-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" className="num">Orders</th>
          <th scope="col" className="num">Tickets</th>
          <th scope="col" className="num">Sales</th>
          <th scope="col" className="num">Refunded</th>
          <th scope="col" className="num">Net</th>
          <th scope="col" className="num">Refunds owed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-row={row.key}>
            <th scope="row">{row.label}</th>
            <td className="num">{row.orders}</td>
            <td className="num">{row.tickets}</td>
            <td className="num" data-sales={row.sales}>{formatUsd(row.sales)}</td>
            <td className="num" data-refunded={row.refunded}>{formatUsd(row.refunded)}</td>
            <td className="num" data-net={row.net}>{formatUsd(row.net)}</td>
            <td className="num" data-owed={row.owed}>{formatUsd(row.owed)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
