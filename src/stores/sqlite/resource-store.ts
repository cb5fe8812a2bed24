import type { DatabaseSync } from 'node:sqlite';
import type { ApiResource, ApiScope, IdentityResource, ResourceStore } from '../types.ts';
import { immediateTransaction } from './transaction.ts';
import { DuplicateKeyError } from '../errors.ts';
import { uniqueViolation } from './unique-violation.ts';

type Kind = 'api_scope' | 'api_resource' | 'identity_resource';
type ResourceRow = { kind: Kind; json: string };

const kindNames: Record<Kind, string> = {
  api_scope: 'API scope',
  api_resource: 'API resource',
  identity_resource: 'identity resource',
};

export function createSqliteResourceStore(db: DatabaseSync): ResourceStore {
  const listAll = db.prepare('SELECT kind, json FROM resources ORDER BY rowid');
  const findApiResource = db.prepare(`SELECT json FROM resources WHERE kind = 'api_resource' AND name = ?`);
  const deleteAll = db.prepare('DELETE FROM resources');
  const insert = db.prepare('INSERT INTO resources (kind, name, json) VALUES (?, ?, ?)');

  function insertAll(kind: Kind, items: readonly { readonly name: string }[]): void {
    for (const item of items) {
      try {
        insert.run(kind, item.name, JSON.stringify(item));
      } catch (error) {
        throw uniqueViolation(error) ? new DuplicateKeyError(kindNames[kind], item.name, { cause: error }) : error;
      }
    }
  }

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
    async replaceResources(resources) {
      immediateTransaction(db, () => {
        deleteAll.run();
        insertAll('api_scope', resources.apiScopes);
        insertAll('api_resource', resources.apiResources);
        insertAll('identity_resource', resources.identityResources);
      });
    },
  };
}
