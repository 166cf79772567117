// store/: the one port through which the engine keeps documents (store-port.ts) and its adapters.
// This file picks the adapter: MongoDB when a URI is configured, otherwise the embedded SQLite
// store in the data folder. The MongoDB driver is only loaded when it is used.

import type { Store } from './store-port.ts';
import { withTransactionHooks } from './transaction-hooks.ts';

export interface StoreOptions {
  /** The data folder; the embedded store keeps its database in `<dataDir>/crm.db`. */
  dataDir: string;
  /** `MONGODB_URI`: when set, records live in MongoDB instead. */
  mongodbUri?: string;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.mongodbUri !== undefined && options.mongodbUri !== '') {
    const { openMongoStore } = await import('./mongodb/open-mongo-store.ts');
    return withTransactionHooks(await openMongoStore({ uri: options.mongodbUri }));
  }
  const { openSqliteStore } = await import('./sqlite/open-sqlite-store.ts');
  return withTransactionHooks(await openSqliteStore({ directory: options.dataDir }));
}
