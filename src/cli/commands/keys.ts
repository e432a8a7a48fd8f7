import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDb, migrate } from '../../store/index.js';
import { createApiKey, createTenant, getTenant, listApiKeys, revokeApiKey } from '../../store/tenants.js';

const USAGE = `usage:
  mailmedic keys create --tenant T --role admin|agent [--label L] [--create-tenant]
  mailmedic keys list [--tenant T]
  mailmedic keys revoke <id or prefix>
`;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      'create-tenant': { type: 'boolean' },
    },
  });
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    process.stderr.write(USAGE);
    return 2;
  }
  const db = await openDb(loadConfig());
  try {
    await migrate(db);
    if (action === 'create') {
      const { tenant, role } = values;
      if (!tenant || (role !== 'admin' && role !== 'agent')) {
        process.stderr.write(`mailmedic keys create: --tenant and --role admin|agent are required\n${USAGE}`);
        return 2;
      }
      if (!(await getTenant(db, tenant))) {
        if (!values['create-tenant']) {
          process.stderr.write(`mailmedic: tenant "${tenant}" does not exist (add --create-tenant to create it)\n`);
          return 1;
        }
        await createTenant(db, tenant);
      }
      const { key, record } = await createApiKey(db, tenant, role, values.label ?? null);
      process.stdout.write(`${key}\n`);
      process.stderr.write(`created ${record.role} key ${record.prefix}… (id ${record.id}) for tenant ${tenant}; it is shown only once\n`);
      return 0;
    }
    if (action === 'list') {
      for (const k of await listApiKeys(db, values.tenant)) {
        const state = k.revokedAt ? 'revoked' : 'active';
        process.stdout.write(`${k.id}  ${k.tenantId}  ${k.prefix}…  ${k.role}  ${state}  ${k.label ?? ''}\n`);
      }
      return 0;
    }
    const target = positionals[0];
    if (!target) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (!(await revokeApiKey(db, target))) {
      process.stderr.write(`mailmedic: no active key matches "${target}"\n`);
      return 1;
    }
    process.stdout.write(`revoked ${target}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
