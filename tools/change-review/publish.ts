import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { executionKey, latestKey } from './env';

export interface PublishOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly executionId: string;
  readonly body: string;
}

const EXECUTION_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Writes the summary under the stage's stable key (where the approval's review
 * link points) and under the execution's own key (the record of what was approved).
 * Returns the keys written.
 */
export async function publishSummary(s3: S3Client, options: PublishOptions): Promise<string[]> {
  if (!EXECUTION_ID.test(options.executionId)) {
    throw new Error(
      `pipeline execution id ${JSON.stringify(options.executionId)}: expected a CodePipeline execution id (letters, digits, '-')`,
    );
  }
  const keys = [executionKey(options.prefix, options.executionId), latestKey(options.prefix)];
  for (const key of keys) {
    await s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: options.body,
        ContentType: 'text/markdown; charset=utf-8',
        Metadata: { 'pipeline-execution-id': options.executionId },
      }),
    );
  }
  return keys;
}
