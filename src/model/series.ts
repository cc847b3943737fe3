/**
 * The time series every run reports (reclaim-model.md A10): keys, units and labels. Data only, so
 * the page can label charts without loading the simulator.
 */

/** Series names and units, in output order. */
export const SERIES: readonly { key: string; unit: string; label: string }[] = [
  { key: 't_s', unit: 's', label: 'time' },
  { key: 'usage_mib', unit: 'MiB', label: 'memory.current (job)' },
  { key: 'anon_mib', unit: 'MiB', label: 'resident anon' },
  { key: 'file_mib', unit: 'MiB', label: 'resident file' },
  { key: 'zswap_mib', unit: 'MiB', label: 'zswap pool (compressed)' },
  { key: 'swap_mib', unit: 'MiB', label: 'disk swap' },
  { key: 'high_mib', unit: 'MiB', label: 'memory.high in effect (null: max)' },
  { key: 'max_mib', unit: 'MiB', label: 'memory.max (null: max)' },
  { key: 'agent_mib', unit: 'MiB', label: "agent's limit or last request" },
  { key: 'psi_some_pct', unit: '%', label: 'PSI some over the interval' },
  { key: 'psi_full_pct', unit: '%', label: 'PSI full over the interval' },
  { key: 'some_avg10', unit: '%', label: 'PSI some avg10' },
  { key: 'full_avg10', unit: '%', label: 'PSI full avg10' },
  { key: 'lat_max_us', unit: 'µs', label: 'worst charge latency in the interval' },
  { key: 'throttles', unit: 'count', label: 'throttle sleeps in the interval' },
  { key: 'req_max_us', unit: 'µs', label: 'worst request latency in the interval' },
  { key: 'job_reclaim_ms', unit: 'ms', label: 'reclaim CPU in the workload (cumulative)' },
  { key: 'agent_cpu_ms', unit: 'ms', label: 'reclaim CPU in the agent (cumulative)' },
  { key: 'requested_mib', unit: 'MiB', label: 'agent requested (cumulative)' },
  { key: 'reclaimed_mib', unit: 'MiB', label: 'agent reclaim calls freed (cumulative)' },
  { key: 'refaults', unit: 'count', label: 'refaults (cumulative)' },
  { key: 'socket_pressure', unit: '0/1', label: 'vmpressure ≥ medium from non-proactive reclaim' },
  { key: 'child0_mib', unit: 'MiB', label: 'first child (tree runs)' },
  { key: 'child1_mib', unit: 'MiB', label: 'second child (tree runs)' },
];
