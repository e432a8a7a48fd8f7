// Every /v1 route module, registered in the authenticated scope by src/api/app.ts.
import type { RouteModule } from '../types.js';
import { alertRoutes } from './alerts.js';
import { chatwootRoutes } from './chatwoot.js';
import { conversationRoutes } from './conversations.js';
import { diagnoseRoutes } from './diagnose.js';
import { domainCheckRoutes } from './domain-checks.js';
import { keyRoutes } from './keys.js';
import { kbRoutes } from './kb.js';
import { logAnalysisRoutes } from './log-analyses.js';
import { settingsRoutes } from './settings.js';
import { ticketRoutes } from './tickets.js';
import { translateRoutes } from './translate.js';

export const v1Routes: RouteModule[] = [keyRoutes, diagnoseRoutes, kbRoutes, settingsRoutes, alertRoutes, logAnalysisRoutes, translateRoutes, domainCheckRoutes, conversationRoutes, ticketRoutes, chatwootRoutes];
