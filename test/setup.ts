// Mocha root hook: every test file runs on the backend named by SGM_BACKEND (default wasm, what a
// fresh `npm install` has). CI runs the suite a second time with SGM_BACKEND=tensorflow.
import { initBackend, type BackendPreference } from '../src/backend/index.js';

const preference = (process.env.SGM_BACKEND ?? 'wasm') as BackendPreference;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await initBackend(preference, { quiet: Boolean(process.env.SGM_QUIET), log: (line) => console.log(`  [${line}]`) });
  },
};
