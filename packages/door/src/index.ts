export { decideScan, type DecideInput, type Decision, type DoorConflict, type DoorTicket, type ScannedCode, type Verdict } from "./policy.ts";
export { applyPendingScans, earlierAdmit, type LocalScan } from "./merge.ts";
