// Amazon SES bounce notifications delivered by SNS as e-mail: a JSON document in the body.
import { findReplyCode, findStatus } from './codes.js';
import { stripDiagnosticType } from './dsn.js';
import type { BounceRecipient } from './types.js';

interface SesRecipient { emailAddress?: unknown; action?: unknown; status?: unknown; diagnosticCode?: unknown }

const MAX_JSON = 1024 * 1024;

function parseJsonObject(text: string): Record<string, unknown> | null {
  const start = text.indexOf('{');
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

/** An SES bounce or complaint notification, or null when the text is not one. */
export function readSesNotification(text: string): { kind: 'bounce' | 'feedback'; recipients: BounceRecipient[] } | null {
  if (!/\\?"notificationType\\?"/.test(text)) return null;
  let doc = parseJsonObject(text);
  // An SNS envelope carries the SES notification as a JSON string in "Message".
  if (doc && typeof doc.Message === 'string') doc = parseJsonObject(doc.Message);
  if (!doc) return null;
  if (doc.notificationType === 'Complaint') {
    const list = (doc.complaint as { complainedRecipients?: unknown } | undefined)?.complainedRecipients;
    const recipients = (Array.isArray(list) ? (list as SesRecipient[]) : []).flatMap((r) => {
      const recipient = str(r.emailAddress)?.toLowerCase();
      return recipient ? [{ recipient, action: null, status: null, replyCode: null, diagnosticCode: null, remoteMta: null, reportingMta: null }] : [];
    });
    return { kind: 'feedback', recipients };
  }
  const bounce = doc.bounce as { bounceType?: unknown; bouncedRecipients?: unknown; reportingMTA?: unknown } | undefined;
  if (doc.notificationType !== 'Bounce' || !bounce || !Array.isArray(bounce.bouncedRecipients)) return null;
  const transient = bounce.bounceType === 'Transient';
  const recipients = (bounce.bouncedRecipients as SesRecipient[]).flatMap((r) => {
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
  return { kind: 'bounce', recipients };
}
