import {
  type _Object,
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { formatHour, type Hour, partitionPath } from '../../lake/hours';
import { stagingPrefix } from '../../lake/sql/compaction';
import { LAKE_PREFIXES } from '../../lake/tables';

/**
 * Moves one run's staged Parquet files into the compacted partition and removes
 * everything else there. The order is what makes a re-run converge:
 *
 * 1. copy every staged file to `compacted/<hour>/<runId>_<name>` (names are
 *    deterministic, so an interrupted copy is simply repeated);
 * 2. delete every object in the partition that does not carry this run's
 *    prefix: the previous run's files, and partial files of any failed attempt;
 * 3. delete the staging files of every run of this hour (this one and leftovers).
 *
 * A staged file is always in staging, in the partition, or both, so a retry of
 * the same run finds the full set by looking at both places.
 */

/** CopyObject copies at most 5 GiB; an hour's Parquet file is many orders of magnitude smaller. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

export interface PromoteResult {
  /** Keys in the compacted partition after the promote: exactly this run's files. */
  readonly objects: readonly string[];
  readonly bytes: number;
  /** Objects of earlier runs or failed attempts removed from the partition. */
  readonly removedFromPartition: number;
  /** Staging objects removed (this run's and leftovers of earlier runs of the hour). */
  readonly removedFromStaging: number;
}

export function compactedPrefix(hour: Hour): string {
  return `${LAKE_PREFIXES.compacted}${partitionPath(hour)}`;
}

/** Staging prefix shared by every run of `hour` (run ids start with the hour). */
export function hourStagingPrefix(hour: Hour): string {
  return `${LAKE_PREFIXES.staging}run_id=${formatHour(hour).replace(/[^0-9]/g, '')}-`;
}

function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Athena ignores files whose names start with `_` or `.`; so does the promote. */
function isDataFile(key: string): boolean {
  const name = baseName(key);
  return name.length > 0 && !name.startsWith('_') && !name.startsWith('.');
}

export async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<_Object[]> {
  const out: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    out.push(...(page.Contents ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const res = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed = res.Errors ?? [];
    if (failed.length > 0) {
      const f = failed[0];
      throw new Error(
        `could not delete ${failed.length} object(s) in s3://${bucket}, e.g. ${f.Key}: ${f.Code} ${f.Message}`,
      );
    }
  }
}

export async function promote(s3: S3Client, bucket: string, hour: Hour, runId: string): Promise<PromoteResult> {
  const target = compactedPrefix(hour);
  const mine = `${target}${runId}_`;
  const staged = (await listAll(s3, bucket, stagingPrefix(runId))).filter((o) => o.Key && isDataFile(o.Key));
  const inPartition = await listAll(s3, bucket, target);

  const sizes = new Map<string, number>();
  for (const o of inPartition) if (o.Key?.startsWith(mine)) sizes.set(o.Key, o.Size ?? 0);
  for (const o of staged) {
    const key = o.Key as string;
    if ((o.Size ?? 0) > MAX_COPY_BYTES) {
      throw new Error(`staged object s3://${bucket}/${key} is ${o.Size} bytes, above CopyObject's 5 GiB limit`);
    }
    const dest = `${mine}${baseName(key)}`;
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: dest,
        CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'COPY',
      }),
    );
    sizes.set(dest, o.Size ?? 0);
  }

  const stale = inPartition.map((o) => o.Key as string).filter((k) => k && !k.startsWith(mine));
  await deleteKeys(s3, bucket, stale);

  const leftovers = (await listAll(s3, bucket, hourStagingPrefix(hour))).map((o) => o.Key as string).filter(Boolean);
  await deleteKeys(s3, bucket, leftovers);

  const objects = [...sizes.keys()].sort();
  return {
    objects,
    bytes: [...sizes.values()].reduce((a, b) => a + b, 0),
    removedFromPartition: stale.length,
    removedFromStaging: leftovers.length,
  };
}
