import { InMemoryStore } from '../support/in-memory-store.ts';
import { describeStoreContract } from '../support/store-contract.ts';

// The in-memory store stands in for DynamoDB in services' unit tests; this holds it to the same contract.
describeStoreContract(() => new InMemoryStore());
