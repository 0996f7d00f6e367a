import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process, in microseconds (Linux /proc). */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
}
