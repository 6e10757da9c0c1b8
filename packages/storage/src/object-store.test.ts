import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.ts';

/** A client answering a listing of `keys` and, to DeleteObjects, the given per-key errors. */
function clientAnswering(keys: string[], errors: { Key: string; Code: string; Message: string }[]) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof ListObjectsCommand) return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
      if (command instanceof DeleteObjectsCommand) return { Errors: errors };
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as S3Client, sent };
}

describe('ObjectStore.deletePrefix', () => {
  it('counts the objects S3 deleted', async () => {
    const { client, sent } = clientAnswering(['hls/a/1.m4s', 'hls/a/2.m4s'], []);

    await expect(new ObjectStore({ client, bucket: 'b' }).deletePrefix('hls/a/')).resolves.toBe(2);
    expect(sent).toHaveLength(2);
  });

  it('rejects, naming a key, when S3 answers that it kept some', async () => {
    const { client } = clientAnswering(
      ['hls/a/1.m4s', 'hls/a/2.m4s'],
      [{ Key: 'hls/a/2.m4s', Code: 'AccessDenied', Message: 'Access Denied' }],
    );

    await expect(new ObjectStore({ client, bucket: 'b' }).deletePrefix('hls/a/')).rejects.toThrow(
      'S3 did not delete 1 of 2 objects, first hls/a/2.m4s: AccessDenied Access Denied',
    );
  });
});
