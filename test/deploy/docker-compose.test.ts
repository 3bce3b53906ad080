import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * No Docker daemon here: `docker-compose.yml` is parsed and its essentials checked — two bot
 * replicas without a fixed host port each (so `--scale bot=N` works), both on one real MongoDB run
 * as a single-node replica set with its data on a volume, settings from `.env`.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as unknown;

const service = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  env_file: z.array(z.object({ path: z.string(), required: z.boolean() })).optional(),
  ports: z
    .array(z.union([z.string(), z.object({ target: z.number(), published: z.unknown().optional() })]))
    .optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.unknown().optional(),
  deploy: z.object({ replicas: z.number() }).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  profiles: z.array(z.string()).optional(),
});
const file = z
  .object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown().nullable()) })
  .parse(compose);
const bot = file.services.bot!;
const mongo = file.services.mongo!;

describe('docker-compose.yml', () => {
  it('builds the bot from this repository and runs two replicas of it', () => {
    expect(bot.build).toBe('.');
    expect(existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    expect(bot.deploy?.replicas).toBe(2);
  });

  it('publishes the bot port without fixing a host port, so replicas do not collide', () => {
    expect(bot.ports).toBeDefined();
    for (const port of bot.ports ?? []) {
      if (typeof port === 'string') expect(port).toMatch(/^\d+$/);
      else expect(port.published).toBeUndefined();
    }
  });

  it('reads settings from .env when there is one, and points every replica at the MongoDB service', () => {
    expect(bot.env_file).toEqual([{ path: '.env', required: false }]);
    const uri = new URL(bot.environment?.MONGODB_URI ?? '');
    expect(uri.protocol).toBe('mongodb:');
    expect(uri.hostname).toBe('mongo');
    expect(uri.searchParams.get('replicaSet')).toBe('rs0');
    expect(bot.depends_on).toEqual({ mongo: { condition: 'service_healthy' } });
    expect(bot.environment?.HOST).toBe('0.0.0.0');
  });

  it('runs the official mongo image as a single-node replica set that initiates itself', () => {
    expect(mongo.image).toMatch(/^mongo:\d/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const check = (mongo.healthcheck?.test ?? []).join(' ');
    expect(check).toContain("rs.initiate({ _id: 'rs0'");
    expect(check).toContain("host: 'mongo:27017'");
  });

  it('keeps the data on a named volume', () => {
    const [volume, mountPoint] = (mongo.volumes?.[0] ?? '').split(':');
    expect(mountPoint).toBe('/data/db');
    expect(Object.keys(file.volumes)).toContain(volume);
  });

  it('carries no secret: they come from .env or the environment', () => {
    const values = Object.entries(bot.environment ?? {});
    const secretish = values.filter(([k]) => /PASSWORD|SECRET|TOKEN|KEY/i.test(k));
    expect(secretish).toEqual([]);
    expect(bot.environment?.MONGODB_URI).not.toMatch(/@/);
  });

  it("the optional load balancer's configuration exists and is opt-in", () => {
    const lb = file.services.lb!;
    expect(lb.profiles).toEqual(['lb']);
    const conf = (lb.volumes?.[0] ?? '').split(':')[0]!;
    expect(existsSync(path.join(root, conf))).toBe(true);
  });
});
