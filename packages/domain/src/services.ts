import { Accounts } from "./accounts.ts";
import type { DomainDeps } from "./deps.ts";
import { Devices } from "./devices.ts";
import { Roles } from "./roles.ts";

/** Every domain service, built once per process (or per test) from the same dependencies. */
export function createServices(deps: DomainDeps) {
  const roles = new Roles(deps);
  return {
    roles,
    accounts: new Accounts(deps),
    devices: new Devices(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
