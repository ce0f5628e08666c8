import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { GENERATED_TYPES, generateTypes } from '../scripts/generate.js';

it('the generated client types are up to date with apps/dispatcher/openapi.json', async () => {
  const committed = await readFile(GENERATED_TYPES, 'utf8');
  if ((await generateTypes()) !== committed)
    expect.fail('libs/client/src/generated/openapi.ts is stale: run npm run openapi');
});
