/** Environment variables the construct sets and the handler reads (no imports: the construct loads it at synth). */
export const ENV = {
  database: 'LAKE_DATABASE',
  bucket: 'LAKE_BUCKET',
  workGroup: 'ATHENA_WORKGROUP',
  lagMinutes: 'LAG_MINUTES',
  lookbackHours: 'LOOKBACK_HOURS',
  /** Value of the metrics' `stage` dimension. */
  stage: 'STAGE',
} as const;
