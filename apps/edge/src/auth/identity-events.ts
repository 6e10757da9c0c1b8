import type { Bus } from '@tonearm/bus';
import { apiTokenChangedV1, sessionEndedV1, signingKeysRotatedV1 } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import type { Authenticator } from './authenticator.ts';
import type { SessionChecker } from './session-checker.ts';
import type { SigningKeys } from './signing-keys.ts';

/**
 * Follows identity's events live (a plain subscription: every edge instance hears every event,
 * and a missed one only costs the cache bound): new signing keys replace the set, ended
 * sessions and revoked API tokens are forgotten at once. Returns a stop function.
 *
 * @example
 * const stop = followIdentityEvents(bus, { keys, sessions, authenticator, logger });
 */
export function followIdentityEvents(
  bus: Bus,
  deps: { keys: SigningKeys; sessions: SessionChecker; authenticator: Authenticator; logger: Logger },
): () => void {
  const handlers = [
    {
      type: 'identity.signing-keys.rotated.v1' as const,
      apply: (raw: unknown) => deps.keys.update(signingKeysRotatedV1.parse(raw).data.jwks),
    },
    {
      type: 'identity.session.ended.v1' as const,
      apply: (raw: unknown) => deps.sessions.forget(sessionEndedV1.parse(raw).data.sessionIds),
    },
    {
      type: 'identity.api-token.changed.v1' as const,
      apply: (raw: unknown) => {
        const { data } = apiTokenChangedV1.parse(raw);
        if (data.revoked) deps.authenticator.forgetApiToken(data.tokenId);
      },
    },
  ];
  const subscriptions = handlers.map(({ type, apply }) =>
    bus.nc.subscribe(bus.topology.subjectOf(type), {
      callback: (error, message) => {
        if (error) return;
        try {
          apply(message.json());
        } catch (cause) {
          deps.logger.warn({ err: cause, type }, 'ignored a malformed identity event');
        }
      },
    }),
  );
  return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
}
