import { createMemoryStores } from '../../src/stores/memory/memory-stores.ts';
import { runStoreContract } from './contract.ts';

runStoreContract('memory', () => ({ stores: createMemoryStores() }));
