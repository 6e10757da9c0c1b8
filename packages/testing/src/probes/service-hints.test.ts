import { describe, expect, it } from 'vitest';
import { describeMissingService, redactUrl } from './service-hints.ts';

describe('describeMissingService', () => {
  it('names the service, where it was looked for, the variable and how to start it', () => {
    const message = describeMissingService('nats', 'nats://127.0.0.1:4222', 'ECONNREFUSED');

    expect(message).toContain('NATS with JetStream does not answer at nats://127.0.0.1:4222 (NATS_URL): ECONNREFUSED');
    expect(message).toContain('-js');
    expect(message).toContain('docker compose up -d nats');
  });

  it('never prints the password of the URL', () => {
    const message = describeMissingService('postgres', 'postgres://app:hunter2@db:5432/app', 'timeout');

    expect(message).not.toContain('hunter2');
    expect(message).toContain('postgres://app:***@db:5432/app');
  });
});

describe('redactUrl', () => {
  it('leaves a URL without a password as it was', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('leaves what is not a URL as it was', () => {
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
