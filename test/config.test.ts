import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

test('defaults give a working embedded set-up', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 3000, demoPort: 8080, databasePath: 'data/encore.sqlite', publicBaseUrl: 'http://localhost:3000' });
});

test('a wrong value stops start-up with a message naming the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  expect(() => loadConfig({ PUBLIC_BASE_URL: 'tickets' })).toThrow(/PUBLIC_BASE_URL.*"tickets"/s);
});

test('the demo site can be switched off and the public URL set', () => {
  const c = loadConfig({ DEMO_PORT: 'off', PUBLIC_BASE_URL: 'https://tickets.example.com/' });
  expect(c.demoPort).toBeNull();
  expect(c.publicBaseUrl).toBe('https://tickets.example.com');
});
