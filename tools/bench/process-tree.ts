import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Measured {
  readonly command: string;
  readonly exitCode: number | null;
  readonly wallSeconds: number;
  /** Highest memory of the command's whole process tree (sum of PSS, else RSS), sampled every 100 ms. */
  readonly peakRssMiB: number;
  /** Highest RSS of any single process of the tree. */
  readonly peakSingleRssMiB: number;
  readonly output: string;
}

/** Runs a shell command and measures wall time and the peak RSS of its process tree (Linux /proc). */
export function measure(command: string, env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    let peak = 0;
    let single = 0;
    const timer = setInterval(() => {
      if (!child.pid) return;
      const t = treeMemory(child.pid);
      peak = Math.max(peak, t.total);
      single = Math.max(single, t.largestRss);
    }, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        command,
        exitCode: code,
        wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakRssMiB: peak / 1024 / 1024,
        peakSingleRssMiB: single / 1024 / 1024,
        output,
      });
    });
  });
}

/**
 * Proportional set size: shared pages (the node binary every process in the
 * tree maps) count once across the tree rather than once per process.
 */
function pssBytes(pid: string): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function treeMemory(root: number): { total: number; largestRss: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const plainRss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const pid = Number(entry);
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const vmRss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      plainRss.set(pid, vmRss);
      rss.set(pid, vmRss);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  let largestRss = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    // PSS is costly to read, so only for the tree's own processes.
    total += pssBytes(String(pid)) ?? rss.get(pid) ?? 0;
    largestRss = Math.max(largestRss, plainRss.get(pid) ?? 0);
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, largestRss };
}
