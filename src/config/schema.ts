import { z } from 'zod';
import { AWS_REGIONS } from './regions';

/**
 * The one schema for everything under `config/`. `pipeline.json` and every
 * `<stage>.json` are checked against it at synth, and `config/schema.json`
 * is generated from it for editors (see `json-schema.ts`).
 */

const account = z
  .string({ error: 'expected a 12-digit AWS account id as a string' })
  .regex(/^\d{12}$/, { error: 'expected a 12-digit AWS account id, e.g. "111111111111"' });

const region = z.enum(AWS_REGIONS, {
  error: (issue) => `expected a known AWS region (e.g. "eu-west-1"), got ${JSON.stringify(issue.input)}`,
});

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what}: an integer from ${min} to ${max}` })
    .int({ error: `expected ${what}: an integer from ${min} to ${max}` })
    .min(min, { error: `expected ${what}: an integer from ${min} to ${max}` })
    .max(max, { error: `expected ${what}: an integer from ${min} to ${max}` });

const email = z.email({ error: 'expected an email address' });

/** Lowercase name usable in resource names, SQL identifiers and S3 prefixes. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const name = (what: string) =>
  z.string({ error: `expected ${what}` }).regex(NAME_PATTERN, {
    error: `expected ${what}: lowercase letters, digits and '-', starting with a letter, at most 20 characters`,
  });

/** The values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
const logRetentionDays = z.literal(LOG_RETENTION_DAYS, {
  error: `expected one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}`,
});

const scheduleExpression = z.string().regex(/^(rate\(\d+ (minute|minutes|hour|hours)\)|cron\([^()]+\))$/, {
  error: 'expected an EventBridge schedule expression such as "rate(1 hour)" or "cron(20 * * * ? *)"',
});

const principalArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
  error: 'expected an IAM role or user ARN, e.g. "arn:aws:iam::999999999999:role/ReleaseApprovers"',
});

export const environmentConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    account: account.describe('AWS account id this environment deploys to.'),
    region: region.describe('AWS region this environment deploys to.'),
    production: z
      .boolean()
      .default(false)
      .describe('Marks a production environment: it must keep its data and be preceded by a manual approval.'),
    manualApproval: z
      .boolean()
      .default(false)
      .describe('Whether a change review and a manual approval precede this stage in the pipeline.'),
    keepData: z
      .boolean()
      .describe(
        'Whether metered data, the user pool and the catalog survive deletion of the stack (RETAIN). false makes a throw-away env whose buckets are emptied on delete.',
      ),
    alarmEmail: email.describe('Address subscribed to the alarm topic of this environment.'),
    api: z
      .strictObject({
        throttlingRateLimit: int(1, 10000, 'requests per second').describe('Stage-wide steady-state request rate.'),
        throttlingBurstLimit: int(1, 5000, 'a burst size').describe('Stage-wide burst capacity.'),
      })
      .describe('API Gateway stage settings.'),
    cognito: z
      .strictObject({
        selfSignUp: z.boolean().default(false).describe('Whether users may sign themselves up.'),
      })
      .default({ selfSignUp: false })
      .describe('User pool settings.'),
    firehose: z
      .strictObject({
        bufferSizeMiB: int(1, 128, 'a buffer size in MiB').describe('Firehose buffer size (1-128 MiB).'),
        bufferIntervalSeconds: int(0, 900, 'a buffer interval in seconds').describe(
          'Firehose buffer interval (0-900 s). It also bounds how fast a request becomes queryable.',
        ),
      })
      .describe('Access-log delivery buffering.'),
    compaction: z
      .strictObject({
        schedule: scheduleExpression
          .default('cron(20 * * * ? *)')
          .describe('When the compaction job runs (EventBridge schedule expression).'),
        lagMinutes: int(1, 180, 'a lag in minutes')
          .default(15)
          .describe('How long after an hour ends before it is closed; must exceed the Firehose buffer interval.'),
        unclosedAlarmHours: int(1, 72, 'a number of hours')
          .default(3)
          .describe('Alarm when the newest compacted hour is older than this many hours.'),
      })
      .describe('Hourly compaction of raw JSON into Parquet.'),
    retention: z
      .strictObject({
        rawDataDays: int(1, 3650, 'a number of days').describe(
          'Days raw JSON access logs are kept in S3 before they expire.',
        ),
        compactedDataDays: int(1, 3650, 'a number of days')
          .optional()
          .describe('Days compacted Parquet is kept; omit to keep it as long as the bucket exists.'),
        logDays: logRetentionDays.describe('Retention of CloudWatch log groups (Lambda, Firehose errors).'),
      })
      .describe('How long data and logs are kept.'),
    athena: z
      .strictObject({
        bytesScannedCutoffPerQuery: z
          .number()
          .int()
          .min(10_000_000, { error: 'expected at least 10000000 bytes (the smallest cutoff Athena accepts)' })
          .describe('Athena cancels a query in this workgroup once it scans this many bytes.'),
        resultsExpirationDays: int(1, 365, 'a number of days')
          .default(7)
          .describe('Days query results are kept in the results bucket.'),
      })
      .describe('Athena workgroup settings.'),
    lakeFormation: z
      .strictObject({
        analystPrincipals: z
          .array(principalArn)
          .default([])
          .describe(
            'Extra IAM principals that get read-only (DESCRIBE, SELECT) access to the metering tables, besides the analyst role the stage creates.',
          ),
      })
      .default({ analystPrincipals: [] })
      .describe('Lake Formation access.'),
    smokeTest: z
      .strictObject({
        roundTrip: z
          .boolean()
          .default(false)
          .describe('Whether the post-deploy smoke test also waits for its requests to appear in Athena.'),
      })
      .default({ roundTrip: false })
      .describe('Post-deploy smoke test.'),
  })
  .superRefine((env, ctx) => {
    if (env.production && !env.manualApproval) {
      ctx.addIssue({
        code: 'custom',
        path: ['manualApproval'],
        message: 'expected true: a production environment must be preceded by a manual approval',
      });
    }
    if (env.production && !env.keepData) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepData'],
        message: 'expected true: a production environment must keep its metered data',
      });
    }
    if (env.compaction.lagMinutes * 60 <= env.firehose.bufferIntervalSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['compaction', 'lagMinutes'],
        message: `expected more minutes than the Firehose buffer interval (${env.firehose.bufferIntervalSeconds} s), so an hour is closed only after its last records arrived`,
      });
    }
  });

export const pipelineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  appName: name('an application name').describe(
    'Short name used in resource names, e.g. the delivery stream "amazon-apigateway-<appName>-<stage>".',
  ),
  toolchain: z
    .strictObject({
      account: account.describe('Account that hosts the pipeline.'),
      region: region.describe('Region that hosts the pipeline.'),
    })
    .describe('Where the pipeline runs.'),
  source: z
    .strictObject({
      repository: z
        .string()
        .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, { error: 'expected a GitHub repository as "owner/repo"' })
        .describe('GitHub repository, "owner/repo".'),
      branch: z
        .string()
        .min(1, { error: 'expected a branch name' })
        .default('main')
        .describe('Branch whose pushes start a rollout.'),
      connectionArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/, {
          error:
            'expected a CodeConnections connection ARN, e.g. "arn:aws:codeconnections:eu-west-1:999999999999:connection/<uuid>"',
        })
        .describe('CodeConnections connection to GitHub (created once in the console).'),
    })
    .describe('Where the pipeline gets its source.'),
  stages: z
    .array(name('a stage name'), { error: 'expected the promotion order as a list of stage names' })
    .min(1, { error: 'expected at least one stage' })
    .refine((s) => new Set(s).size === s.length, { error: 'expected each stage once' })
    .describe('Promotion order. Each name needs a config/<name>.json.'),
  approval: z
    .strictObject({
      notificationEmails: z
        .array(email)
        .min(1, { error: 'expected at least one address' })
        .describe('Addresses told when an approval is waiting.'),
      approverPrincipals: z
        .array(principalArn)
        .min(1, { error: 'expected at least one approver' })
        .describe('IAM principals allowed to approve or reject a promotion.'),
    })
    .describe('Who is told about, and who may answer, a manual approval.'),
  notificationEmails: z
    .array(email)
    .default([])
    .describe('Addresses told when a pipeline execution fails (in addition to the approval addresses).'),
});

export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
export type PipelineConfig = z.output<typeof pipelineConfigSchema>;

/** An environment's config together with the stage name it was loaded under. */
export interface StageConfig extends EnvironmentConfig {
  /** The stage name: the file name without `.json`. */
  readonly stageName: string;
}

/** Everything under `config/`, validated and cross-checked. */
export interface ProjectConfig {
  readonly pipeline: PipelineConfig;
  /** Stages in promotion order. */
  readonly stages: readonly StageConfig[];
}
