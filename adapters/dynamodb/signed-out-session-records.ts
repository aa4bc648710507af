import type { SignedOutSessions } from '../../services/console/session.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/**
 * Console sessions signed out before their cookie expired: one item each, which DynamoDB's time to
 * live removes once the cookie has expired anyway (until then the item, not its TTL, decides).
 */
export class SignedOutSessionRecords implements SignedOutSessions {
  constructor(private readonly table: TableClient) {}

  async signOut(sessionKey: string, until: number): Promise<void> {
    await this.table.put('SignOutConsoleSession', {
      Item: { ...keys.signedOutConsoleSession(sessionKey), entity: 'signedOutConsoleSession', expiresAt: until },
    });
  }

  async isSignedOut(sessionKey: string): Promise<boolean> {
    // Strongly consistent: a request right after the sign-out, on another copy of the cookie, must be refused.
    return (await this.table.getItem('IsConsoleSessionSignedOut', keys.signedOutConsoleSession(sessionKey))) !== undefined;
  }
}
