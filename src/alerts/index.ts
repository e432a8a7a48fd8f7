export { forecast, type Forecast, type UsageSeries } from './forecast.js';
export { defineAlertJobs, scheduleAllTenants, scheduleTenantAlerts, FORECAST_JOB, DOMAINS_JOB } from './jobs.js';
export { domainConditions, runDomainMonitoring, DOMAIN_KINDS } from './domains.js';
export { runMailboxForecasts, mailboxCondition, MAILBOX_KIND } from './run.js';
export { storeUsage, readMailbox, unpackSamples, type UsageSample } from './usage.js';
export { raiseAlerts, clearAlerts, type AlertCandidate } from './state.js';
export { AlertSettingsSchema, alertSettingsOf, type AlertSettings } from './settings.js';
