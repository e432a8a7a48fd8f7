// Public surface of the support feature (conversations, hand-over tickets, Chatwoot).
export { createConversation, handleUserMessage, dedupeKeyOf, type TurnInput, type TurnResult, type HandoffInfo, type Attachment } from './service.js';
export { patchTicket, agentReply, type TicketPatch } from './tickets.js';
export { handleChatwootEvent, type ChatwootEvent } from './chatwoot.js';
export { decide, route, classifyTicket, type Decision, type HandoffReason, type Priority, type TicketKind } from './policy.js';
export { serviceStatus, formatLocal, type ServiceHours } from './hours.js';
export { extractSlots, TEMPLATE_FIELDS, type Template, type TemplateField } from './slots.js';
export { SupportSettingsSchema, HandoffSettingsSchema, ChatwootSettingsSchema } from './settings.js';
export { defineSupportJobs } from './jobs.js';
export { setSupportClock } from './clock.js';
export { HANDOFF_JOB } from './handoff.js';
