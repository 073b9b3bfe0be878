// Memory and CPU of this process after GC (run with --expose-gc), for the capacity benchmark.
export function memory() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, cpuUs: cpu.user + cpu.system };
}
