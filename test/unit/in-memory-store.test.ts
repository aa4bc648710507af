import { InMemoryStore } from '../support/in-memory-store.ts';
import { describeSignedOutSessionsContract, InMemorySignedOutSessions } from '../support/signed-out-sessions-contract.ts';
import { describeStoreContract } from '../support/store-contract.ts';

// The in-memory store stands in for DynamoDB in services' unit tests; this holds it to the same contract.
describeStoreContract(() => new InMemoryStore());
describeSignedOutSessionsContract(() => new InMemorySignedOutSessions());
