import { container } from '../../adapters/container.ts';
import { describeStoreContract } from '../support/store-contract.ts';

// The DynamoDB store on the local stack's DynamoDB Local, held to the contract the in-memory store also keeps.
describeStoreContract(() => container().store);
