// Setup file (vite.config.ts): after each test file, remove the databases and temp folders it made.
import { afterAll } from 'vitest';
import { cleanUp } from './databases.ts';

afterAll(cleanUp);
