/** `suqiu apikey add|list|revoke`: Open311 API keys for partner systems. */
import type { Command } from 'commander';
import type { WithDeps } from './common.ts';


const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

/** Adds the `apikey` commands to the program; `withDeps` opens and closes the platform around them. */
export function registerApiKey(program: Command, withDeps: WithDeps): void {
  const apikey = program.command('apikey').description('Open311 API keys (partners need one to submit requests)');

  apikey.command('add')
    .description('make a key; it is printed once and only its hash is kept')
    .requiredOption('--name <name>', 'who the key is for, e.g. "市民通 App"')
    .action((o: { name: string }) => withDeps(async (deps) => {
      const { addApiKey } = await import('../app/api-keys.ts');
      const k = await addApiKey(deps, o.name);
      console.log(`api key for ${k.name} (id ${k.id}, prefix ${k.prefix}):`);
      console.log(k.key);
      console.log('store it now: it cannot be shown again.');
    }));

  apikey.command('list')
    .description('list keys: id, prefix, name, created, last used, revoked')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => withDeps(async (deps) => {
      const { listApiKeys } = await import('../app/api-keys.ts');
      const keys = await listApiKeys(deps);
      if (o.json) return console.log(JSON.stringify(keys, null, 2));
      if (keys.length === 0) return console.log('no api keys');
      for (const k of keys) {
        console.log(`${k.id}  ${k.prefix}…  ${k.name}  created ${day(k.createdAt)}  used ${day(k.lastUsedAt)}${k.revokedAt ? `  REVOKED ${day(k.revokedAt)}` : ''}`);
      }
    }));

  apikey.command('revoke <idOrPrefix>')
    .description('revoke a key by its id or prefix; requests with it get 403 from then on')
    .action((ref: string) => withDeps(async (deps) => {
      const { revokeApiKey } = await import('../app/api-keys.ts');
      const k = await revokeApiKey(deps, ref);
      console.log(`revoked ${k.prefix}… (${k.name}, id ${k.id})`);
    }));
}
