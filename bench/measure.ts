/** What every conversation worker measures around its run, written once (Telegram and web rows). */
import { readFileSync } from "node:fs";
import type { WorkerResult } from "./conversation-worker.js";
import { percentile } from "./window.js";

/** CPU time (user + system, µs) the process `pid` has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuUs(pid: string | number | undefined): number | undefined {
  if (pid === undefined || pid === "") return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return undefined;
  }
}

/** Starts measuring this process's CPU and the database server's (`BENCH_DB_PID`); `stop()` reads both. */
export function startCpuMeter() {
  const before = process.cpuUsage();
  const dbBefore = processCpuUs(process.env.BENCH_DB_PID);
  return {
    stop() {
      const cpu = process.cpuUsage(before);
      const dbAfter = processCpuUs(process.env.BENCH_DB_PID);
      return { cpuUs: cpu.user + cpu.system, dbCpuUs: dbBefore !== undefined && dbAfter !== undefined ? dbAfter - dbBefore : undefined };
    },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The summary line a worker prints, from what it measured. */
export function summarise(run: { side: string; users: number; updates: number; durationMs: number; latenciesMs: number[]; cpuUs: number; dbCpuUs: number | undefined; peakRssMb: number; problems: string[] }): WorkerResult {
  const per = (us: number) => Math.round(us / Math.max(1, run.updates));
  return {
    side: run.side,
    users: run.users,
    updates: run.updates,
    durationMs: Math.round(run.durationMs),
    updatesPerSecond: Math.round((run.updates / run.durationMs) * 1000 * 10) / 10,
    p50Ms: round(percentile(run.latenciesMs, 50)),
    p95Ms: round(percentile(run.latenciesMs, 95)),
    p99Ms: round(percentile(run.latenciesMs, 99)),
    maxMs: round(run.latenciesMs.reduce((m, v) => Math.max(m, v), 0)),
    cpuUsPerUpdate: per(run.cpuUs),
    ...(run.dbCpuUs !== undefined ? { dbCpuUsPerUpdate: per(run.dbCpuUs) } : {}),
    peakRssMb: Math.round(run.peakRssMb * 10) / 10,
    check: { ok: run.problems.length === 0, problems: run.problems },
  };
}
