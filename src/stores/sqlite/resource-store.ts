import type { DatabaseSync } from 'node:sqlite';
import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { ApiResource, ApiScope, IdentityResource, ResourceKind, ResourceStore } from '../types.ts';
import type { OriginRow } from './origin.ts';
import { immediateTransaction } from './transaction.ts';
import { uniqueViolation } from './unique-violation.ts';

type Column = 'api_scope' | 'api_resource' | 'identity_resource';
type ResourceRow = { kind: Column; json: string };

const columns: Record<ResourceKind, Column> = { apiScope: 'api_scope', apiResource: 'api_resource', identityResource: 'identity_resource' };
const kindNames: Record<ResourceKind, string> = { apiScope: 'API scope', apiResource: 'API resource', identityResource: 'identity resource' };

export function createSqliteResourceStore(db: DatabaseSync): ResourceStore {
  const listAll = db.prepare('SELECT kind, json FROM resources ORDER BY rowid');
  const findApiResource = db.prepare(`SELECT json FROM resources WHERE kind = 'api_resource' AND name = ?`);
  const originOf = db.prepare('SELECT origin FROM resources WHERE kind = ? AND name = ?');
  // One statement: a new row, or an update of the store's own row; no change means the file owns the name.
  const save = db.prepare(
    `INSERT INTO resources (kind, name, json, origin) VALUES (?, ?, ?, 'store')
     ON CONFLICT (kind, name) DO UPDATE SET json = excluded.json WHERE origin = 'store'`,
  );
  const remove = db.prepare(`DELETE FROM resources WHERE kind = ? AND name = ? AND origin = 'store'`);
  const removeConfigured = db.prepare(`DELETE FROM resources WHERE origin = 'configuration'`);
  const insertConfigured = db.prepare(`INSERT INTO resources (kind, name, json, origin) VALUES (?, ?, ?, 'configuration')`);

  const origin = (kind: ResourceKind, name: string) => (originOf.get(columns[kind], name) as OriginRow | undefined)?.origin;

  return {
    async getAllResources() {
      const apiScopes: ApiScope[] = [];
      const apiResources: ApiResource[] = [];
      const identityResources: IdentityResource[] = [];
      for (const row of listAll.all() as ResourceRow[]) {
        const value: unknown = JSON.parse(row.json);
        if (row.kind === 'api_scope') apiScopes.push(value as ApiScope);
        else if (row.kind === 'api_resource') apiResources.push(value as ApiResource);
        else identityResources.push(value as IdentityResource);
      }
      return { apiScopes, apiResources, identityResources };
    },
    async findApiResourceByName(name) {
      const row = findApiResource.get(name) as { json: string } | undefined;
      return row && (JSON.parse(row.json) as ApiResource);
    },
    async saveResource(kind, resource) {
      if (Number(save.run(columns[kind], resource.name, JSON.stringify(resource)).changes) === 0) {
        throw new ConfiguredEntryError(kindNames[kind], resource.name);
      }
    },
    async removeResource(kind, name) {
      if (Number(remove.run(columns[kind], name).changes) === 1) return true;
      if (origin(kind, name) === 'configuration') throw new ConfiguredEntryError(kindNames[kind], name);
      return false;
    },
    async syncConfiguredResources(resources) {
      const lists: ReadonlyArray<readonly [ResourceKind, readonly { readonly name: string }[]]> = [
        ['apiScope', resources.apiScopes],
        ['apiResource', resources.apiResources],
        ['identityResource', resources.identityResources],
      ];
      immediateTransaction(db, () => {
        for (const [kind, items] of lists) {
          const conflicts = items.map((item) => item.name).filter((name) => origin(kind, name) === 'store');
          if (conflicts.length > 0) throw new ConfigurationConflictError(kindNames[kind], conflicts, 'stores.resources.removeResource');
        }
        removeConfigured.run();
        for (const [kind, items] of lists) {
          for (const item of items) {
            try {
              insertConfigured.run(columns[kind], item.name, JSON.stringify(item));
            } catch (error) {
              throw uniqueViolation(error) ? new DuplicateKeyError(kindNames[kind], item.name, { cause: error }) : error;
            }
          }
        }
      });
    },
  };
}
