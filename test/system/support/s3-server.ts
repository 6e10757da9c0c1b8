import { startLocalS3 } from '@tonearm/testing';

/**
 * `node s3-server.ts <port> <directory> <bucket>`: the local S3 server of `npm start` in a process
 * of its own, so the system tests can kill it and start it again on the same objects.
 */
const [port, directory, bucket] = process.argv.slice(2);
const s3 = await startLocalS3({ port: Number(port), directory, buckets: [bucket!] });
process.stdout.write(`${s3.endpoint}\n`);
process.on('SIGTERM', () => void s3.stop().then(() => process.exit(0)));
