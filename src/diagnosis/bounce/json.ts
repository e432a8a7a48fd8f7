// Amazon SES bounce notifications delivered by SNS as e-mail: a JSON document in the body.
import { findReplyCode, findStatus } from './codes.js';
import { stripDiagnosticType } from './dsn.js';
import type { BounceRecipient } from './types.js';

interface SesRecipient { emailAddress?: unknown; action?: unknown; status?: unknown; diagnosticCode?: unknown }

const MAX_JSON = 1024 * 1024;

function parseJsonObject(text: string): Record<string, unknown> | null {
  const start = text.indexOf('{"');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start || end - start > MAX_JSON) return null;
  const slice = text.slice(start, end + 1);
  for (const candidate of [slice, slice.replace(/\r?\n/g, '')]) {
    try {
      const v: unknown = JSON.parse(candidate);
      if (v && typeof v === 'object') return v as Record<string, unknown>;
    } catch { /* try the next form */ }
  }
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function recipientsFromJson(text: string): BounceRecipient[] {
  if (!text.includes('"bouncedRecipients"')) return [];
  const doc = parseJsonObject(text);
  const bounce = doc?.bounce as { bounceType?: unknown; bouncedRecipients?: unknown; reportingMTA?: unknown } | undefined;
  if (!bounce || !Array.isArray(bounce.bouncedRecipients)) return [];
  const transient = bounce.bounceType === 'Transient';
  return (bounce.bouncedRecipients as SesRecipient[]).flatMap((r) => {
    const recipient = str(r.emailAddress)?.toLowerCase();
    if (!recipient) return [];
    const diagnosticCode = stripDiagnosticType(str(r.diagnosticCode) ?? undefined);
    return [{
      recipient,
      action: str(r.action) ?? (transient ? 'delayed' : 'failed'),
      status: findStatus(str(r.status)) ?? findStatus(diagnosticCode),
      replyCode: findReplyCode(diagnosticCode),
      diagnosticCode,
      remoteMta: null,
      reportingMta: str(bounce.reportingMTA)?.replace(/^dsn;\s*/i, '') ?? null,
    }];
  });
}
