import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config.js';

/**
 * No Bicep CLI here: `infra/main.bicep` is read as text and checked for consistency — every
 * parameter used, the parameters file naming only real, non-secret parameters, each secret going
 * from a secure parameter into Key Vault and from there (by reference, through the managed identity)
 * into the container, and every container setting being one the bot reads.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bicep = readFileSync(path.join(root, 'infra', 'main.bicep'), 'utf8');
const parametersFile = JSON.parse(readFileSync(path.join(root, 'infra', 'main.parameters.json'), 'utf8')) as {
  parameters: Record<string, { value: unknown }>;
};
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface Param {
  name: string;
  hasDefault: boolean;
  secure: boolean;
  decorators: string[];
}

function params(): Param[] {
  const found: Param[] = [];
  let decorators: string[] = [];
  for (const line of bicep.split('\n').map((l) => l.trim())) {
    if (line.startsWith('@')) decorators.push(line);
    const m = /^param (\w+) \w+( = .+)?$/.exec(line);
    if (m) {
      found.push({ name: m[1]!, hasDefault: !!m[2], secure: decorators.includes('@secure()'), decorators });
      decorators = [];
    } else if (!line.startsWith('@')) decorators = [];
  }
  return found;
}

/** The `{ … }` block starting at `from` (balanced braces). */
function block(from: number): string {
  let depth = 0;
  for (let i = bicep.indexOf('{', from); i < bicep.length; i++) {
    if (bicep[i] === '{') depth++;
    if (bicep[i] === '}' && --depth === 0) return bicep.slice(from, i + 1);
  }
  throw new Error('unbalanced braces');
}

function resources(type: string): { symbol: string; body: string }[] {
  const re = new RegExp(`^resource (\\w+) '${type.replace(/\//g, '\\/')}@[^']+'`, 'gm');
  return [...bicep.matchAll(re)].map((m) => ({ symbol: m[1]!, body: block(m.index) }));
}

const vaultSecrets = resources('Microsoft.KeyVault/vaults/secrets').map(({ symbol, body }) => ({
  symbol,
  name: /name: '([^']+)'/.exec(body)?.[1],
  value: /value: (\w+)/.exec(body)?.[1],
}));
const app = resources('Microsoft.App/containerApps')[0]!.body;
const appSecrets = [
  ...app.matchAll(/\{\s*name: '([^']+)'\s*keyVaultUrl: (\w+)\.properties\.secretUri\s*identity: (\S+)\s*\}/g),
];
const env = [...app.matchAll(/\{ name: '(\w+)', (value|secretRef): ([^}]+) \}/g)].map((m) => ({
  name: m[1]!,
  kind: m[2]!,
  ref: m[3]!.trim(),
}));

describe('infra/main.bicep', () => {
  it('uses every parameter it declares', () => {
    for (const { name } of params()) {
      const uses = bicep.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
      expect(uses, name).toBeGreaterThan(1);
    }
  });

  it('pins stable (non-preview) API versions on every resource', () => {
    const versions = [...bicep.matchAll(/^resource \w+ '[^@]+@([^']+)'/gm)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThan(8);
    for (const v of versions) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps the app secret, the BC/Dataverse client secret and MONGODB_URI in Key Vault from secure parameters', () => {
    const secure = params().filter((p) => p.secure);
    expect(secure.map((p) => p.name).sort()).toEqual([
      'azureClientSecret',
      'microsoftAppPassword',
      'mongodbUri',
    ]);
    expect(vaultSecrets.map((s) => s.value).sort()).toEqual(secure.map((p) => p.name).sort());
  });

  it('gives the container those secrets by Key Vault reference through its managed identity, never by value', () => {
    expect(appSecrets.map((m) => m[1]).sort()).toEqual(vaultSecrets.map((s) => s.name).sort());
    for (const [, name, symbol, identity] of appSecrets) {
      expect(vaultSecrets.find((s) => s.symbol === symbol)?.name).toBe(name);
      expect(identity).toBe('identity.id');
    }
    expect(app).toContain("type: 'UserAssigned'");
    expect(bicep).toMatch(/Key Vault Secrets User/);
    // No secure parameter reaches a setting or a container secret directly.
    for (const p of params().filter((q) => q.secure)) {
      expect(env.some((e) => e.ref === p.name)).toBe(false);
      expect(app).not.toMatch(new RegExp(`value: ${p.name}\\b`));
    }
  });

  it('maps each secret to the setting the bot reads, and every setting is one the bot knows', () => {
    const bySecret = Object.fromEntries(
      env.filter((e) => e.kind === 'secretRef').map((e) => [e.name, e.ref]),
    );
    expect(bySecret).toEqual({
      MicrosoftAppPassword: "'microsoft-app-password'",
      MONGODB_URI: "'mongodb-uri'",
      AZURE_CLIENT_SECRET: "'azure-client-secret'",
    });
    const known = new Set(Object.keys(configSchema.shape));
    expect(env.map((e) => e.name).filter((n) => !known.has(n))).toEqual([]);
    expect(env.find((e) => e.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING')?.ref).toBe(
      'appInsights.properties.ConnectionString',
    );
  });

  it('runs at least 2 replicas with probes on /healthz, behind a single-tenant Azure Bot with the Teams channel', () => {
    const minReplicas = params().find((p) => p.name === 'minReplicas')!;
    expect(minReplicas.decorators).toContain('@minValue(2)');
    expect(app).toContain('minReplicas: minReplicas');
    expect(app.match(/path: '\/healthz'/g)?.length).toBeGreaterThanOrEqual(2);
    const bot = resources('Microsoft.BotService/botServices')[0]!.body;
    expect(bot).toContain("msaAppType: 'SingleTenant'");
    expect(bot).toContain("endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'");
    expect(resources('Microsoft.BotService/botServices/channels')[0]!.body).toContain(
      "channelName: 'MsTeamsChannel'",
    );
  });
});

describe('infra/main.parameters.json and the README command', () => {
  it('names only declared, non-secret parameters', () => {
    const declared = new Map(params().map((p) => [p.name, p]));
    for (const name of Object.keys(parametersFile.parameters)) {
      expect(declared.has(name), name).toBe(true);
      expect(declared.get(name)?.secure, name).toBe(false);
    }
  });

  it('with the README command, gives every required non-secret parameter a value (the CLI asks for the secrets)', () => {
    const command = /az deployment group create[^\n]*(?:\\\n[^\n]*)*/.exec(readme)?.[0] ?? '';
    expect(command).toContain('-f infra/main.bicep');
    expect(command).toContain('-p infra/main.parameters.json');
    const required = params().filter((p) => !p.hasDefault && !p.secure);
    for (const p of required) {
      expect(p.name in parametersFile.parameters || command.includes(`${p.name}=`), p.name).toBe(true);
    }
  });
});
