export * from "./actor.ts";
export * from "./clock.ts";
export * from "./deps.ts";
export * from "./errors.ts";
export { Accounts, type ApiTokenSummary } from "./accounts.ts";
export { Roles } from "./roles.ts";
export { createServices, type Services } from "./services.ts";
export { Devices, DEVICE_TOKEN_PREFIX, hashDeviceToken } from "./devices.ts";
