import { readFileSync } from 'node:fs';

/** fleetbench's version, from package.json (one level above both src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Version of the JSON result format. Bump the major on any incompatible change. */
export const SCHEMA_VERSION = '1.0';
