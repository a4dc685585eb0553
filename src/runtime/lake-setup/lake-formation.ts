import {
  BatchGrantPermissionsCommand,
  type BatchPermissionsFailureEntry,
  type BatchPermissionsRequestEntry,
  BatchRevokePermissionsCommand,
  type LakeFormationClient,
  type Resource,
} from '@aws-sdk/client-lakeformation';
import { type Backoff, isThrottling, retrying, type Sleep } from '../shared/backoff';
import type { Grant, GrantResource } from './grants';

/** BatchGrantPermissions / BatchRevokePermissions accept at most this many entries. */
export const MAX_BATCH_ENTRIES = 20;

export interface LakeFormationOptions {
  /** Catalog (account) id; the caller's account when omitted. */
  readonly catalogId?: string;
  /** How often a batch with concurrently modified entries is retried. @default 8 */
  readonly maxRetries?: number;
  /** @default 200 ms doubling to 5 s, ±50 % jitter so parallel deploys spread out */
  readonly backoff?: Backoff;
  /** Injected for tests. */
  readonly sleep?: Sleep;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 5000, factor: 2, jitter: 0.5 };

/** Entries Lake Formation rejected for a reason other than "already done". */
export class LakeFormationGrantError extends Error {
  constructor(
    readonly operation: 'grant' | 'revoke',
    readonly failures: readonly BatchPermissionsFailureEntry[],
  ) {
    super(
      `Lake Formation ${operation} failed for ${failures.length} entr${failures.length === 1 ? 'y' : 'ies'}: ${failures
        .map((f) => `${describe(f.RequestEntry)}: ${f.Error?.ErrorCode ?? 'Error'}: ${f.Error?.ErrorMessage ?? ''}`)
        .join('; ')}`,
    );
    this.name = 'LakeFormationGrantError';
  }
}

/** Some entries hit ConcurrentModificationException: retry just those. */
class ConcurrentEntries extends Error {
  constructor(readonly entries: BatchPermissionsRequestEntry[]) {
    super(`ConcurrentModificationException on ${entries.length} entries`);
  }
}

function describe(e: BatchPermissionsRequestEntry | undefined): string {
  if (!e) return '(unknown entry)';
  const r = e.Resource;
  const on = r?.Table
    ? `table ${r.Table.DatabaseName}.${r.Table.Name}`
    : r?.Database
      ? `database ${r.Database.Name}`
      : r?.DataLocation
        ? `data location ${r.DataLocation.ResourceArn}`
        : 'resource';
  return `${(e.Permissions ?? []).join('+')} on ${on} for ${e.Principal?.DataLakePrincipalIdentifier}`;
}

function toResource(r: GrantResource, catalogId: string | undefined): Resource {
  switch (r.kind) {
    case 'database':
      return { Database: { CatalogId: catalogId, Name: r.database } };
    case 'table':
      return { Table: { CatalogId: catalogId, DatabaseName: r.database, Name: r.table } };
    case 'dataLocation':
      return { DataLocation: { CatalogId: catalogId, ResourceArn: r.arn } };
  }
}

/**
 * Whether a failed entry already is in the wanted state: a grant that is held,
 * or a revoke of something not held or of a resource that no longer exists.
 */
export function isAlreadyDone(operation: 'grant' | 'revoke', code: string | undefined, message = ''): boolean {
  if (operation === 'grant') return code === 'AlreadyExistsException' || /already (exists|granted)/i.test(message);
  return (
    (code === 'InvalidInputException' && /no permissions revoked/i.test(message)) ||
    code === 'EntityNotFoundException' ||
    /no permissions revoked/i.test(message)
  );
}

const isConcurrent = (code: string | undefined) => code === 'ConcurrentModificationException';

function entries(grants: readonly Grant[], catalogId: string | undefined): BatchPermissionsRequestEntry[] {
  return grants.map((g, i) => ({
    Id: String(i),
    Principal: { DataLakePrincipalIdentifier: g.principal },
    Resource: toResource(g.resource, catalogId),
    Permissions: [...g.permissions],
    PermissionsWithGrantOption: [],
  }));
}

async function batch(
  client: LakeFormationClient,
  operation: 'grant' | 'revoke',
  grants: readonly Grant[],
  opts: LakeFormationOptions,
): Promise<void> {
  const all = entries(grants, opts.catalogId);
  for (let i = 0; i < all.length; i += MAX_BATCH_ENTRIES) {
    let pending = all.slice(i, i + MAX_BATCH_ENTRIES);
    await retrying(
      async () => {
        const input = { CatalogId: opts.catalogId, Entries: pending };
        const res =
          operation === 'grant'
            ? await client.send(new BatchGrantPermissionsCommand(input))
            : await client.send(new BatchRevokePermissionsCommand(input));
        const failures = (res.Failures ?? []).filter(
          (f) => !isAlreadyDone(operation, f.Error?.ErrorCode, f.Error?.ErrorMessage),
        );
        const concurrent = failures.filter((f) => isConcurrent(f.Error?.ErrorCode));
        const fatal = failures.filter((f) => !isConcurrent(f.Error?.ErrorCode));
        if (fatal.length > 0) throw new LakeFormationGrantError(operation, fatal);
        if (concurrent.length > 0) {
          const ids = new Set(concurrent.map((f) => f.RequestEntry?.Id));
          pending = pending.filter((e) => ids.has(e.Id));
          throw new ConcurrentEntries(pending);
        }
      },
      (e) =>
        e instanceof ConcurrentEntries ||
        isThrottling(e) ||
        (e as { name?: string })?.name === 'ConcurrentModificationException',
      { maxRetries: opts.maxRetries ?? 8, backoff: opts.backoff ?? DEFAULT_BACKOFF, sleep: opts.sleep },
    ).catch((e: unknown) => {
      if (e instanceof ConcurrentEntries) {
        throw new LakeFormationGrantError(
          operation,
          e.entries.map((entry) => ({
            RequestEntry: entry,
            Error: { ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'still conflicting after retries' },
          })),
        );
      }
      throw e;
    });
  }
}

/** Grants every permission of `grants`; permissions already held count as granted. */
export function grantAll(client: LakeFormationClient, grants: readonly Grant[], opts: LakeFormationOptions = {}) {
  return batch(client, 'grant', grants, opts);
}

/** Revokes every permission of `grants`; what is not held (or no longer exists) counts as revoked. */
export function revokeAll(client: LakeFormationClient, grants: readonly Grant[], opts: LakeFormationOptions = {}) {
  return batch(client, 'revoke', grants, opts);
}
