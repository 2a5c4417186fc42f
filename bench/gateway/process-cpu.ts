import { readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of another process on Linux, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function childCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Peak resident set size (MB) of another process on Linux, from /proc/<pid>/status (VmHWM). */
export function childPeakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** The whole machine's CPU ticks so far (/proc/stat): busy (user, nice, system, irq, softirq), stolen by the host, all. */
export interface MachineTicks {
  busy: number;
  steal: number;
  total: number;
}

export function machineTicks(): MachineTicks {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, steal: steal!, total: busy + idle! + iowait! + steal! };
}

/** Shares (%) of the machine's CPU between two readings: busy and stolen by the host (a shared VM's neighbours). */
export function machineShares(from: MachineTicks, to: MachineTicks): { busyPct: number; stealPct: number } {
  const total = to.total - from.total || 1;
  return { busyPct: (100 * (to.busy - from.busy)) / total, stealPct: (100 * (to.steal - from.steal)) / total };
}
