import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Hour, partitionPath } from '../../lake/hours';
import { LAKE_PREFIXES } from '../../lake/tables';
import { deleteKeys, listAll } from './objects';

/**
 * The record of each close, under `compaction-manifests/` (outside every table
 * location, so Athena never reads it as data). Per hour:
 * - `_manifest-<runId>.json`: written after a successful promote; its presence
 *   makes the hour closed. Earlier runs' manifests stay as the hour's history.
 * - `_promoting-<runId>.json`: written before the promote touches the partition
 *   and removed after the manifest. While one is present the hour counts as
 *   unclosed, so a promote that died half-way is re-run by the next schedule.
 */

export interface Manifest {
  readonly hour: string;
  readonly runId: string;
  readonly trigger: 'scheduled' | 'backfill';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rowsIn: number;
  readonly rowsWritten: number;
  readonly duplicatesDropped: number;
  readonly duplicatesWithinHour: number;
  readonly duplicatesPreviousHour: number;
  /** Kept rows that had no request id (they cannot be deduplicated, and usage does not bill them). */
  readonly rowsWithoutRequestId: number;
  readonly bytesScanned: number;
  readonly queryIds: { readonly insert: string; readonly count: string; readonly retried: readonly string[] };
  /** The compacted partition's objects after the close. */
  readonly objects: readonly string[];
  readonly objectBytes: number;
  readonly removedObjects: number;
}

function hourPrefix(hour: Hour): string {
  return `${LAKE_PREFIXES.manifests}${partitionPath(hour)}`;
}

export function manifestKey(hour: Hour, runId: string): string {
  return `${hourPrefix(hour)}_manifest-${runId}.json`;
}

export function promotingKey(hour: Hour, runId: string): string {
  return `${hourPrefix(hour)}_promoting-${runId}.json`;
}

function putJson(s3: S3Client, bucket: string, key: string, body: unknown) {
  return s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(body, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
}

export async function markPromoting(s3: S3Client, bucket: string, hour: Hour, runId: string, startedAt: string) {
  await putJson(s3, bucket, promotingKey(hour, runId), { runId, startedAt });
}

export async function writeManifest(s3: S3Client, bucket: string, hour: Hour, m: Manifest): Promise<string> {
  const key = manifestKey(hour, m.runId);
  await putJson(s3, bucket, key, m);
  // This run's marker, and those of earlier runs that died mid-promote: the hour is now closed.
  await clearMarkers(s3, bucket, hour);
  return key;
}

/**
 * Whether `hour` is closed: some run wrote its manifest and no promote is left
 * unfinished. A promoting marker of an earlier run that failed keeps the hour
 * open until a later run of the hour succeeds and clears it.
 */
export async function isClosed(s3: S3Client, bucket: string, hour: Hour): Promise<boolean> {
  const prefix = hourPrefix(hour);
  const names = (await listAll(s3, bucket, prefix)).map((o) => (o.Key ?? '').slice(prefix.length));
  return !names.some((n) => n.startsWith('_promoting-')) && names.some((n) => n.startsWith('_manifest-'));
}

async function clearMarkers(s3: S3Client, bucket: string, hour: Hour): Promise<void> {
  const markers = await listAll(s3, bucket, `${hourPrefix(hour)}_promoting-`);
  await deleteKeys(s3, bucket, markers.map((o) => o.Key as string).filter(Boolean));
}
