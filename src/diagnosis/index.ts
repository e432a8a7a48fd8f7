// Public surface of the diagnosis engine.
export { classifyText, detectProvider, MAX_SCAN_CHARS, RULE_COUNT, PATTERN_COUNT, type Classification, type ClassifyHints } from './classify.js';
export { parseCodes, statusMeaning, STATUS_DETAILS, REPLY_CODES, type SmtpCodes } from './reply.js';
export { detectLanguage } from './language.js';
export { confidenceOf, CONFIDENCE, type MatchKind } from './confidence.js';
export { diagnose, screenedInput, DEFAULT_CONFIDENCE_THRESHOLD, type DiagnoseInput, type DiagnoseOptions, type DiagnoseContext } from './engine.js';
