/**
 * The job's CloudWatch metrics. Shared by the runtime (which emits them through
 * Powertools) and the construct (alarms, dashboard), so the names cannot drift.
 * Kept free of imports so the construct can load it at synth.
 */
export const METRICS_NAMESPACE = 'Metering/Compaction';
/** Powertools' `service` dimension, present on every metric next to `stage`. */
export const METRICS_SERVICE = 'compaction';

export const METRIC = {
  rowsIn: 'RowsIn',
  rowsWritten: 'RowsWritten',
  duplicatesDropped: 'DuplicatesDropped',
  /** Rows kept without a request id: they cannot be deduplicated and usage does not bill them. */
  rowsWithoutRequestId: 'RowsWithoutRequestId',
  bytesScanned: 'BytesScanned',
  /** Seconds from the end of the newest closed hour to the scheduled run that closed (or found closed) it. */
  closedHourLag: 'ClosedHourLagSeconds',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
