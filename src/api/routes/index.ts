// Every /v1 route module, registered in the authenticated scope by src/api/app.ts.
import type { RouteModule } from '../types.js';
import { domainCheckRoutes } from './domain-checks.js';
import { keyRoutes } from './keys.js';
import { kbRoutes } from './kb.js';
import { translateRoutes } from './translate.js';

export const v1Routes: RouteModule[] = [keyRoutes, kbRoutes, translateRoutes, domainCheckRoutes];
