// The only entry the web apps import: types, never runtime code or the database.
export type { AppRouter } from "./root.ts";
export type { ErrorCode } from "@admit/domain";
export type { AppErrorCode } from "./errors.ts";
