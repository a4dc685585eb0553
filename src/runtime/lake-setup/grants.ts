/**
 * The Lake Formation grant set of a stage: a plain value computed at synth,
 * passed to the custom resource, and diffed on Update so only what was removed
 * is revoked.
 */

export type Permission = 'DESCRIBE' | 'SELECT' | 'INSERT' | 'DELETE' | 'DATA_LOCATION_ACCESS';

const PERMISSIONS: ReadonlySet<string> = new Set<Permission>([
  'DESCRIBE',
  'SELECT',
  'INSERT',
  'DELETE',
  'DATA_LOCATION_ACCESS',
]);

/** What a grant is on. */
export type GrantResource =
  | { readonly kind: 'database'; readonly database: string }
  | { readonly kind: 'table'; readonly database: string; readonly table: string }
  /** A registered S3 location, by ARN (`arn:aws:s3:::bucket`). */
  | { readonly kind: 'dataLocation'; readonly arn: string };

export interface Grant {
  /** IAM role or user ARN. */
  readonly principal: string;
  readonly resource: GrantResource;
  readonly permissions: readonly Permission[];
}

/** One permission of one principal on one resource: the unit grants are diffed in. */
interface Atom {
  readonly principal: string;
  readonly resource: GrantResource;
  readonly permission: Permission;
}

export function resourceKey(r: GrantResource): string {
  switch (r.kind) {
    case 'database':
      return `database:${r.database}`;
    case 'table':
      return `table:${r.database}.${r.table}`;
    case 'dataLocation':
      return `dataLocation:${r.arn}`;
  }
}

function atoms(grants: readonly Grant[]): Map<string, Atom> {
  const out = new Map<string, Atom>();
  for (const g of grants) {
    for (const permission of g.permissions) {
      out.set(`${g.principal}|${resourceKey(g.resource)}|${permission}`, {
        principal: g.principal,
        resource: g.resource,
        permission,
      });
    }
  }
  return out;
}

/** Groups atoms back into one grant per principal and resource, permissions sorted. */
function group(list: Iterable<Atom>): Grant[] {
  const byKey = new Map<string, { principal: string; resource: GrantResource; permissions: Set<Permission> }>();
  for (const a of list) {
    const key = `${a.principal}|${resourceKey(a.resource)}`;
    const g = byKey.get(key) ?? { principal: a.principal, resource: a.resource, permissions: new Set<Permission>() };
    g.permissions.add(a.permission);
    byKey.set(key, g);
  }
  return [...byKey.values()].map((g) => ({ ...g, permissions: [...g.permissions].sort() }));
}

/** The grant set with duplicates merged: one entry per principal and resource. */
export function normalizeGrants(grants: readonly Grant[]): Grant[] {
  return group(atoms(grants).values());
}

/**
 * What an Update must do: revoke exactly what the old set had and the new one
 * lacks; grant the whole new set (re-granting what is held is a no-op, and a
 * replaced table has lost its grants, so granting only the additions would
 * not be enough).
 */
export function diffGrants(previous: readonly Grant[], next: readonly Grant[]): { revoke: Grant[]; grant: Grant[] } {
  const before = atoms(previous);
  const after = atoms(next);
  const removed = [...before.entries()].filter(([k]) => !after.has(k)).map(([, a]) => a);
  return { revoke: group(removed), grant: group(after.values()) };
}

/** Validates a grant set that arrived as custom resource properties. */
export function parseGrants(value: unknown): Grant[] {
  if (!Array.isArray(value)) throw new Error('Grants: expected an array');
  return value.map((g, i) => {
    const where = `Grants[${i}]`;
    if (typeof g !== 'object' || g === null) throw new Error(`${where}: expected an object`);
    const { principal, resource, permissions } = g as Record<string, unknown>;
    if (typeof principal !== 'string' || !principal.startsWith('arn:')) {
      throw new Error(`${where}.principal: expected an ARN, got ${JSON.stringify(principal)}`);
    }
    if (!Array.isArray(permissions) || permissions.length === 0) {
      throw new Error(`${where}.permissions: expected a non-empty array`);
    }
    for (const p of permissions) {
      if (typeof p !== 'string' || !PERMISSIONS.has(p))
        throw new Error(`${where}: unknown permission ${JSON.stringify(p)}`);
    }
    return { principal, resource: parseResource(resource, where), permissions: permissions as Permission[] };
  });
}

function parseResource(value: unknown, where: string): GrantResource {
  const r = (value ?? {}) as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof r[k] !== 'string' || r[k] === '') throw new Error(`${where}.resource.${k}: expected a string`);
    return r[k] as string;
  };
  switch (r.kind) {
    case 'database':
      return { kind: 'database', database: str('database') };
    case 'table':
      return { kind: 'table', database: str('database'), table: str('table') };
    case 'dataLocation':
      return { kind: 'dataLocation', arn: str('arn') };
    default:
      throw new Error(`${where}.resource.kind: expected database, table or dataLocation`);
  }
}

/** Inputs of the stage's grant set. */
export interface GrantSetInput {
  readonly database: string;
  readonly rawTable: string;
  readonly compactedTable: string;
  readonly stagingTable: string;
  /** Registered data location ARN, when the lake bucket is registered with Lake Formation. */
  readonly dataLocationArn?: string;
  /** Role of the compaction job. */
  readonly compactionPrincipal: string;
  /** Analyst role and configured reader principals: read both tables. */
  readonly readerPrincipals: readonly string[];
  /** Principals that read the raw table only (the dev smoke test). */
  readonly rawReaderPrincipals: readonly string[];
}

/**
 * Exactly what each principal needs:
 * - compaction: read raw and compacted, write and clean its staging table,
 *   and (if registered) use the data location to write under it;
 * - readers: read raw and compacted (raw is needed for not-yet-compacted hours);
 * - raw readers: read raw only.
 * Every principal gets DESCRIBE on the database so it can resolve the tables.
 */
export function stageGrants(input: GrantSetInput): Grant[] {
  const db: GrantResource = { kind: 'database', database: input.database };
  const table = (t: string): GrantResource => ({ kind: 'table', database: input.database, table: t });
  const read: Permission[] = ['SELECT', 'DESCRIBE'];
  const grants: Grant[] = [
    { principal: input.compactionPrincipal, resource: db, permissions: ['DESCRIBE'] },
    { principal: input.compactionPrincipal, resource: table(input.rawTable), permissions: read },
    { principal: input.compactionPrincipal, resource: table(input.compactedTable), permissions: read },
    {
      principal: input.compactionPrincipal,
      resource: table(input.stagingTable),
      permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE'],
    },
  ];
  if (input.dataLocationArn) {
    grants.push({
      principal: input.compactionPrincipal,
      resource: { kind: 'dataLocation', arn: input.dataLocationArn },
      permissions: ['DATA_LOCATION_ACCESS'],
    });
  }
  for (const p of input.readerPrincipals) {
    grants.push(
      { principal: p, resource: db, permissions: ['DESCRIBE'] },
      { principal: p, resource: table(input.rawTable), permissions: read },
      { principal: p, resource: table(input.compactedTable), permissions: read },
    );
  }
  for (const p of input.rawReaderPrincipals) {
    grants.push(
      { principal: p, resource: db, permissions: ['DESCRIBE'] },
      { principal: p, resource: table(input.rawTable), permissions: read },
    );
  }
  return normalizeGrants(grants);
}
