export {
  atCapacity,
  decideScan,
  isInside,
  type DecideInput,
  type Decision,
  type DoorConflict,
  type DoorGate,
  type DoorMode,
  type DoorTicket,
  type ScannedCode,
  type Verdict,
} from "./policy.ts";
export { applyPendingScans, earlierAdmit, type LocalScan } from "./merge.ts";
