// The only entry the web apps import: types, never runtime code or the database.
export type { AppRouter } from "./root.ts";
