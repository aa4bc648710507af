import { container } from '../../adapters/container.ts';
import { createDocumentClient } from '../../adapters/dynamodb/dynamodb-store.ts';
import { DynamoDbPrivacyStore } from '../../adapters/dynamodb/privacy-store.ts';
import { SignedOutSessionRecords } from '../../adapters/dynamodb/signed-out-session-records.ts';
import { describeSignedOutSessionsContract } from '../support/signed-out-sessions-contract.ts';
import { describeStoreContract } from '../support/store-contract.ts';

// The DynamoDB store on the local stack's DynamoDB Local, held to the contract the in-memory store also keeps
// (with the privacy requests that only `tandem person` uses: DynamoDbPrivacyStore).
describeStoreContract(() => new DynamoDbPrivacyStore(createDocumentClient(), container().env.TANDEM_TABLE_NAME));

// The console's signed-out sessions, which only the console function keeps, on the same table.
describeSignedOutSessionsContract(() => new SignedOutSessionRecords(container().table));
