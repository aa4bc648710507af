import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignedOutSessions } from '../../services/console/session.ts';

/** Console sessions signed out before they expire: the in-memory list the unit tests use, and the behaviour it shares with DynamoDB's. */
export class InMemorySignedOutSessions implements SignedOutSessions {
  readonly until = new Map<string, number>();

  signOut(sessionKey: string, until: number): Promise<void> {
    this.until.set(sessionKey, until);
    return Promise.resolve();
  }

  isSignedOut(sessionKey: string): Promise<boolean> {
    return Promise.resolve(this.until.has(sessionKey));
  }
}

export function describeSignedOutSessionsContract(create: () => SignedOutSessions): void {
  describe('the list of console sessions signed out', () => {
    it('holds a session once it is signed out, and no other', async () => {
      const list = create();
      const [signedOut, other] = [randomUUID(), randomUUID()];
      expect(await list.isSignedOut(signedOut)).toBe(false);
      await list.signOut(signedOut, Math.floor(Date.now() / 1000) + 3600);
      expect(await list.isSignedOut(signedOut)).toBe(true);
      expect(await list.isSignedOut(other)).toBe(false);
    });

    it('takes the same sign-out twice without complaint', async () => {
      const list = create();
      const key = randomUUID();
      await list.signOut(key, Math.floor(Date.now() / 1000) + 60);
      await list.signOut(key, Math.floor(Date.now() / 1000) + 60);
      expect(await list.isSignedOut(key)).toBe(true);
    });
  });
}
