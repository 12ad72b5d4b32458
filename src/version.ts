import { PACKAGE_MANIFEST } from './package-root.js';

/** fleetbench's version, from its package.json. */
export const VERSION: string = PACKAGE_MANIFEST.version;

/** Version of the JSON result format. Bump the major on any incompatible change. */
export const SCHEMA_VERSION = '1.1';
