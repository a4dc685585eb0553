import 'aws-sdk-client-mock-jest';
import {
  BatchGrantPermissionsCommand,
  type BatchPermissionsRequestEntry,
  BatchRevokePermissionsCommand,
  LakeFormationClient,
} from '@aws-sdk/client-lakeformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { Grant } from '../../../../../src/runtime/lake-setup/grants';
import { grantAll, LakeFormationGrantError, revokeAll } from '../../../../../src/runtime/lake-setup/lake-formation';

const lf = mockClient(LakeFormationClient);
const client = new LakeFormationClient({});
const sleep = jest.fn(async () => {});
const opts = { sleep };

const grant = (i: number): Grant => ({
  principal: `arn:aws:iam::111111111111:role/r${i}`,
  resource: { kind: 'table', database: 'metering_dev', table: 'access_log' },
  permissions: ['SELECT', 'DESCRIBE'],
});
const failure = (entry: BatchPermissionsRequestEntry | undefined, ErrorCode: string, ErrorMessage = '') => ({
  RequestEntry: entry,
  Error: { ErrorCode, ErrorMessage },
});

beforeEach(() => {
  lf.reset();
  sleep.mockClear();
});

describe('grantAll', () => {
  test('sends batches of at most 20 entries', async () => {
    lf.on(BatchGrantPermissionsCommand).resolves({});
    await grantAll(
      client,
      Array.from({ length: 45 }, (_, i) => grant(i)),
      opts,
    );
    const sizes = lf.commandCalls(BatchGrantPermissionsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(sizes).toEqual([20, 20, 5]);
  });

  test('maps grants to Lake Formation entries', async () => {
    lf.on(BatchGrantPermissionsCommand).resolves({});
    await grantAll(
      client,
      [
        grant(0),
        {
          principal: 'arn:aws:iam::111111111111:role/c',
          resource: { kind: 'dataLocation', arn: 'arn:aws:s3:::lake' },
          permissions: ['DATA_LOCATION_ACCESS'],
        },
      ],
      opts,
    );
    expect(lf).toHaveReceivedCommandWith(BatchGrantPermissionsCommand, {
      Entries: [
        {
          Id: '0',
          Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/r0' },
          Resource: { Table: { DatabaseName: 'metering_dev', Name: 'access_log' } },
          Permissions: ['SELECT', 'DESCRIBE'],
          PermissionsWithGrantOption: [],
        },
        {
          Id: '1',
          Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/c' },
          Resource: { DataLocation: { ResourceArn: 'arn:aws:s3:::lake' } },
          Permissions: ['DATA_LOCATION_ACCESS'],
          PermissionsWithGrantOption: [],
        },
      ],
    });
  });

  test('retries only the entries that hit ConcurrentModificationException, with backoff', async () => {
    lf.on(BatchGrantPermissionsCommand)
      .callsFakeOnce(({ Entries }) => ({ Failures: [failure(Entries[1], 'ConcurrentModificationException')] }))
      .resolves({});
    await grantAll(client, [grant(0), grant(1), grant(2)], opts);
    const calls = lf.commandCalls(BatchGrantPermissionsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.Entries?.map((e) => e.Id)).toEqual(['1']);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  test('retries a whole call that was throttled or concurrently modified', async () => {
    lf.on(BatchGrantPermissionsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .rejectsOnce(Object.assign(new Error('busy'), { name: 'ConcurrentModificationException' }))
      .resolves({});
    await grantAll(client, [grant(0)], opts);
    expect(lf.commandCalls(BatchGrantPermissionsCommand)).toHaveLength(3);
  });

  test('gives up on persistent concurrent modification with a clear error', async () => {
    lf.on(BatchGrantPermissionsCommand).callsFake(({ Entries }) => ({
      Failures: [failure(Entries[0], 'ConcurrentModificationException')],
    }));
    await expect(grantAll(client, [grant(0)], { ...opts, maxRetries: 3 })).rejects.toThrow(
      /grant failed for 1 entry: SELECT\+DESCRIBE on table metering_dev.access_log for .*r0: ConcurrentModificationException/,
    );
    expect(lf.commandCalls(BatchGrantPermissionsCommand)).toHaveLength(4);
  });

  test('a grant that is already held counts as success', async () => {
    lf.on(BatchGrantPermissionsCommand).callsFake(({ Entries }) => ({
      Failures: [failure(Entries[0], 'AlreadyExistsException', 'Permissions already exist')],
    }));
    await expect(grantAll(client, [grant(0)], opts)).resolves.toBeUndefined();
  });

  test('any other per-entry failure fails loudly, without retrying', async () => {
    lf.on(BatchGrantPermissionsCommand).callsFake(({ Entries }) => ({
      Failures: [failure(Entries[0], 'InvalidInputException', 'Invalid principal')],
    }));
    const error = await grantAll(client, [grant(0)], opts).catch((e) => e);
    expect(error).toBeInstanceOf(LakeFormationGrantError);
    expect(error.message).toMatch(/InvalidInputException: Invalid principal/);
    expect(lf.commandCalls(BatchGrantPermissionsCommand)).toHaveLength(1);
  });
});

describe('revokeAll', () => {
  test('"No permissions revoked" and a resource that is gone count as success', async () => {
    lf.on(BatchRevokePermissionsCommand).callsFake(({ Entries }) => ({
      Failures: [
        failure(Entries[0], 'InvalidInputException', 'No permissions revoked. Grantee does not have the permission'),
        failure(Entries[1], 'EntityNotFoundException', 'Table not found'),
      ],
    }));
    await expect(revokeAll(client, [grant(0), grant(1)], opts)).resolves.toBeUndefined();
  });

  test('nothing to revoke sends nothing', async () => {
    await revokeAll(client, [], opts);
    expect(lf.calls()).toHaveLength(0);
  });
});
