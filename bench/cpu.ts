/**
 * CPU accounting for one measured run, from /proc (Linux): how many cores the server, the load generator and
 * everything else on the machine used. On a shared 2-core machine "other" tells whether a figure is noisy.
 */
import { readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ, 100 on Linux (getconf CLK_TCK)

interface ProcTimes {
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
}

function procTimes(pid: number | 'self'): ProcTimes | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3; utime 14, stime 15, cutime 16, cstime 17.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const at = (n: number) => Number(fields[n - 3]);
    return { utime: at(14), stime: at(15), cutime: at(16), cstime: at(17) };
  } catch {
    return undefined;
  }
}

/**
 * Machine-wide ticks. Process user/system time is what processes are charged with; interrupt and softirq time
 * (loopback TCP processing, a good part of an HTTP benchmark) is charged to no process, so it is kept apart.
 */
function machineTimes(): { process: number; softirq: number; steal: number } | undefined {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).map(Number);
    return { process: (user ?? 0) + (nice ?? 0) + (system ?? 0), softirq: (irq ?? 0) + (softirq ?? 0), steal: steal ?? 0 };
  } catch {
    return undefined;
  }
}

export interface CpuUsage {
  /** Cores used by the server process. */
  readonly server: number;
  /** Cores used by the load generator (wrk as a reaped child, or autocannon in this process). */
  readonly loadgen: number;
  /** Cores used by everything else on the machine (other processes). */
  readonly other: number;
  /** Cores spent in interrupts/softirq (mostly the loopback network stack), charged to no process. */
  readonly softirq: number;
  /** Cores the hypervisor took away (steal time). */
  readonly steal: number;
  /** The measured wall time, s: server × seconds is the server's CPU time. */
  readonly seconds: number;
}

export interface CpuMeter {
  stop(): CpuUsage | undefined;
}

/**
 * Starts measuring. `loadgenInProcess`: the load generator runs in this process (autocannon); otherwise it
 * is a child process whose CPU shows in this process' cutime/cstime once it has been reaped (wrk, or the
 * signing-rate loop, with no server: serverPid undefined).
 */
export function startCpuMeter(serverPid: number | undefined, loadgenInProcess: boolean): CpuMeter {
  const t0 = performance.now();
  const server0 = serverPid === undefined ? undefined : procTimes(serverPid);
  const self0 = procTimes('self');
  const machine0 = machineTimes();
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const server1 = serverPid === undefined ? undefined : procTimes(serverPid);
      const self1 = procTimes('self');
      const machine1 = machineTimes();
      if ((serverPid !== undefined && (!server0 || !server1)) || !self0 || !self1 || !machine0 || !machine1 || seconds <= 0) return undefined;
      const cores = (ticks: number) => ticks / ticksPerSecond / seconds;
      const server = server0 && server1 ? cores(server1.utime + server1.stime - server0.utime - server0.stime) : 0;
      const selfCpu = cores(self1.utime + self1.stime - self0.utime - self0.stime);
      const reaped = cores(self1.cutime + self1.cstime - self0.cutime - self0.cstime);
      const loadgen = loadgenInProcess ? selfCpu : reaped;
      const own = loadgenInProcess ? 0 : selfCpu;
      const charged = cores(machine1.process - machine0.process);
      return {
        server,
        loadgen,
        other: Math.max(0, charged - server - loadgen - own),
        softirq: cores(machine1.softirq - machine0.softirq),
        steal: cores(machine1.steal - machine0.steal),
        seconds,
      };
    },
  };
}

/**
 * Waits (up to maxMs) until the machine has been quiet for one window: less than `threshold` cores busy.
 * Returns the cores busy in the last window. Other work on a shared machine skews a run that starts under it.
 */
export async function waitForQuiet(maxMs = 20_000, threshold = 0.1, windowMs = 500): Promise<number | undefined> {
  const deadline = performance.now() + maxMs;
  let busy: number | undefined;
  for (;;) {
    const a = machineTimes();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const b = machineTimes();
    if (!a || !b) return undefined;
    busy = (b.process + b.softirq - a.process - a.softirq) / ticksPerSecond / ((performance.now() - t0) / 1000);
    if (busy < threshold || performance.now() > deadline) return busy;
  }
}
