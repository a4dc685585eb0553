import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { assertBucketName, assertIdentifier } from '../../lake/tables';
import { ENV } from './env';
import { METRICS_NAMESPACE, METRICS_SERVICE } from './metrics';
import { type MetricsSink, type RunResult, runCompaction } from './run';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

function positiveInt(name: string): number {
  const n = Number(env(name));
  if (!Number.isInteger(n) || n < 1) throw new Error(`environment variable ${name}: expected a positive integer`);
  return n;
}

const logger = new Logger({ serviceName: METRICS_SERVICE });
const powertools = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  defaultDimensions: { stage: env(ENV.stage) },
});
const metrics: MetricsSink = {
  addMetric: (name, unit, value) => powertools.addMetric(name, unit, value),
  publishStoredMetrics: () => powertools.publishStoredMetrics(),
};
const athena = new AthenaClient({});
const s3 = new S3Client({});
const config = {
  lake: { database: assertIdentifier(env(ENV.database), 'database name'), bucket: assertBucketName(env(ENV.bucket)) },
  workGroup: env(ENV.workGroup),
  lagMinutes: positiveInt(ENV.lagMinutes),
  lookbackHours: positiveInt(ENV.lookbackHours),
};

/** Scheduled event or backfill payload in, per-hour results out; any failure throws (and counts as an Error). */
export async function handler(event: unknown, context: Context): Promise<RunResult> {
  logger.addContext(context);
  return runCompaction(
    {
      ...config,
      athena,
      s3,
      metrics,
      log: logger,
      invocationId: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
    },
    event,
  );
}
