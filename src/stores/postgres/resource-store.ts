import { ConfigurationConflictError, ConfiguredEntryError, DuplicateKeyError } from '../errors.ts';
import type { ApiResource, ApiScope, IdentityResource, ResourceKind, ResourceStore } from '../types.ts';
import type { Database } from './database.ts';
import { lockForSync, type Origin } from './origin.ts';
import { uniqueViolation } from './unique-violation.ts';

type Column = 'api_scope' | 'api_resource' | 'identity_resource';
type ResourceRow = { kind: Column; json: unknown };

const columns: Record<ResourceKind, Column> = { apiScope: 'api_scope', apiResource: 'api_resource', identityResource: 'identity_resource' };
const kindNames: Record<ResourceKind, string> = { apiScope: 'API scope', apiResource: 'API resource', identityResource: 'identity resource' };

const listAll = 'SELECT kind, json FROM resources ORDER BY seq';
const findApiResource = `SELECT json FROM resources WHERE kind = 'api_resource' AND name = $1`;
const originOf = 'SELECT origin FROM resources WHERE kind = $1 AND name = $2';
// One statement: a new row, or an update of the store's own row; no change means the file owns the name.
const save = `INSERT INTO resources (kind, name, json, origin) VALUES ($1, $2, $3, 'store')
  ON CONFLICT (kind, name) DO UPDATE SET json = excluded.json WHERE resources.origin = 'store'`;
const remove = `DELETE FROM resources WHERE kind = $1 AND name = $2 AND origin = 'store'`;
const storeOwned = `SELECT name FROM resources WHERE kind = $1 AND name = ANY($2::text[]) AND origin = 'store'`;
const removeConfigured = `DELETE FROM resources WHERE origin = 'configuration'`;
const insertConfigured = `INSERT INTO resources (kind, name, json, origin) VALUES ($1, $2, $3, 'configuration')`;

export function createPostgresResourceStore(db: Database): ResourceStore {
  return {
    async getAllResources() {
      const apiScopes: ApiScope[] = [];
      const apiResources: ApiResource[] = [];
      const identityResources: IdentityResource[] = [];
      for (const row of (await db.query<ResourceRow>(listAll)).rows) {
        if (row.kind === 'api_scope') apiScopes.push(row.json as ApiScope);
        else if (row.kind === 'api_resource') apiResources.push(row.json as ApiResource);
        else identityResources.push(row.json as IdentityResource);
      }
      return { apiScopes, apiResources, identityResources };
    },
    async findApiResourceByName(name) {
      const { rows } = await db.query<{ json: ApiResource }>(findApiResource, [name]);
      return rows[0]?.json;
    },
    async saveResource(kind, resource) {
      if ((await db.query(save, [columns[kind], resource.name, JSON.stringify(resource)])).rowCount === 0) {
        throw new ConfiguredEntryError(kindNames[kind], resource.name);
      }
    },
    async removeResource(kind, name) {
      if ((await db.query(remove, [columns[kind], name])).rowCount === 1) return true;
      const { rows } = await db.query<{ origin: Origin }>(originOf, [columns[kind], name]);
      if (rows[0]?.origin === 'configuration') throw new ConfiguredEntryError(kindNames[kind], name);
      return false;
    },
    async syncConfiguredResources(resources) {
      const lists: ReadonlyArray<readonly [ResourceKind, readonly { readonly name: string }[]]> = [
        ['apiScope', resources.apiScopes],
        ['apiResource', resources.apiResources],
        ['identityResource', resources.identityResources],
      ];
      await db.transaction(async (tx) => {
        await lockForSync(tx, 'resources');
        for (const [kind, items] of lists) {
          const names = items.map((item) => item.name);
          const owned = new Set((await tx.query<{ name: string }>(storeOwned, [columns[kind], names])).rows.map((row) => row.name));
          const conflicts = names.filter((name) => owned.has(name));
          if (conflicts.length > 0) throw new ConfigurationConflictError(kindNames[kind], conflicts, 'stores.resources.removeResource');
        }
        await tx.query(removeConfigured);
        for (const [kind, items] of lists) {
          for (const item of items) {
            try {
              await tx.query(insertConfigured, [columns[kind], item.name, JSON.stringify(item)]);
            } catch (error) {
              throw uniqueViolation(error) ? new DuplicateKeyError(kindNames[kind], item.name, { cause: error }) : error;
            }
          }
        }
      });
    },
  };
}
