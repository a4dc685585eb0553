/**
 * Environment variables through which the pipeline's change-review step tells
 * `tools/change-review/cli.ts` what it reviews and where to publish.
 */
export const REVIEW_ENV = {
  /** Stage being promoted, e.g. `prod`. */
  stage: 'REVIEW_STAGE',
  /** Bucket the summary is written to. */
  bucket: 'REVIEW_BUCKET',
  /** Key prefix of the stage's summaries, e.g. `change-review/prod`. */
  prefix: 'REVIEW_PREFIX',
  /** The pipeline execution the review belongs to (`#{codepipeline.PipelineExecutionId}`). */
  executionId: 'PIPELINE_EXECUTION_ID',
} as const;

/** Key of the summary an approval links to: stable per stage, overwritten by each review. */
export const latestKey = (prefix: string) => `${prefix}/latest.md`;

/** Key of the summary kept for one execution. */
export const executionKey = (prefix: string, executionId: string) => `${prefix}/executions/${executionId}.md`;
