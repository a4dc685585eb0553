import type { Hour } from '../../src/lake/hours';
import { hourRangePredicate } from '../../src/lake/sql/partitions';
import { column, type LakeLocation, qualifiedName, RAW_TABLE } from '../../src/lake/tables';
import type { TempUserIdentity } from '../lib/temp-user';

const SUB = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The shape of the addresses `TempUser` makes; nothing that needs escaping in a SQL literal. */
const TEMP_EMAIL = /^[a-z0-9-]+@[a-z0-9.-]+$/;

/** A raw-table column by name: a renamed column breaks this builder at once, not the query in AWS. */
const raw = (name: string) => column(RAW_TABLE, name).name;

/**
 * One row per distinct requestId the temporary user made in the raw table,
 * with how often each was delivered (`copies` > 1 is a Firehose duplicate,
 * which raw may hold by design). Reads only the partitions from `from` to `to`
 * (arrival hours), so the poll scans minutes of data, not the table.
 */
export function roundTripSql(
  loc: Pick<LakeLocation, 'database'>,
  user: TempUserIdentity,
  from: Hour,
  to: Hour,
): string {
  if (!SUB.test(user.sub))
    throw new Error(`invalid sub ${JSON.stringify(user.sub)}: expected a Cognito user id (UUID)`);
  if (!TEMP_EMAIL.test(user.email)) {
    throw new Error(`invalid email ${JSON.stringify(user.email)}: expected a temporary user's address`);
  }
  const requestId = raw('requestId');
  return [
    `SELECT ${requestId} AS request_id, count(*) AS copies`,
    `FROM ${qualifiedName(loc, RAW_TABLE)}`,
    `WHERE ${hourRangePredicate(from, to)}`,
    `  AND ${raw('sub')} = '${user.sub}'`,
    `  AND ${raw('username')} = '${user.email}'`,
    `GROUP BY ${requestId}`,
  ].join('\n');
}
