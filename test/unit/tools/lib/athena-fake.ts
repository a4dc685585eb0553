import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * An Athena client whose queries succeed at once and return whatever `answer`
 * gives for the statement (rows as column → value). Started statements are
 * recorded, so a test can check what was run and where.
 */
export function fakeAthena(answer: (sql: string, call: number) => Record<string, string | null>[]) {
  const mock = mockClient(AthenaClient);
  const started: StartQueryExecutionCommandInput[] = [];
  const results = new Map<string, Record<string, string | null>[]>();
  mock.on(StartQueryExecutionCommand).callsFake((input: StartQueryExecutionCommandInput) => {
    started.push(input);
    const id = `q-${started.length}`;
    results.set(id, answer(input.QueryString ?? '', started.length));
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }) => ({
    QueryExecution: {
      QueryExecutionId,
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 10_485_760 },
    },
  }));
  mock.on(GetQueryResultsCommand).callsFake(({ QueryExecutionId }) => {
    const rows = results.get(QueryExecutionId) ?? [];
    const columns = rows.length ? Object.keys(rows[0]) : [];
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: columns.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: [
          { Data: columns.map((c) => ({ VarCharValue: c })) },
          ...rows.map((r) => ({ Data: columns.map((c) => (r[c] === null ? {} : { VarCharValue: r[c] as string })) })),
        ],
      },
    };
  });
  return { client: new AthenaClient({ region: 'eu-west-1' }), mock, started };
}
