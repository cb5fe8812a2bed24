import type { Client, IdentityResource, Resources, User } from '../stores/types.ts';
import { hashPassword, isPasswordHash } from './passwords.ts';
import type { IdProoConfig } from './schema.ts';
import { toStoredSecret } from './secrets.ts';

export interface ConfigurationData {
  readonly clients: readonly Client[];
  readonly resources: Resources;
  readonly users: readonly User[];
}

/** The configuration as the stores keep it: secrets as digests and passwords as argon2id hashes. */
export async function toConfigurationData(config: IdProoConfig): Promise<ConfigurationData> {
  const clients: Client[] = config.clients.map(({ clientSecrets, ...client }) => ({ ...client, clientSecrets: clientSecrets.map(toStoredSecret) }));
  const resources: Resources = {
    apiScopes: config.apiScopes,
    apiResources: config.apiResources.map(({ apiSecrets, ...resource }) => ({ ...resource, apiSecrets: apiSecrets.map(toStoredSecret) })),
    identityResources: config.identityResources as IdentityResource[],
  };
  const users: User[] = await Promise.all(
    config.users.map(async ({ password, ...user }) => ({ ...user, passwordHash: isPasswordHash(password) ? password : await hashPassword(password) })),
  );
  return { clients, resources, users };
}
