import type { Severity } from '../model/index.js';

/**
 * A secret hit with the value already replaced by its hash and preview. This is the only shape that
 * leaves a scan worker: the raw value never crosses a thread boundary, a cache file or a report.
 */
export interface RedactedHit {
  detector: string;
  title: string;
  provider: string;
  identityKind?: string;
  severity: Severity;
  confidence: 'high' | 'medium' | 'low';
  /** validated / structured / generic (see SecretHit.assurance). */
  assurance: 'validated' | 'structured' | 'generic';
  testCredential?: boolean;
  /** `sha256:<hex>` of the value. */
  hash: string;
  preview: string;
  decoded?: Record<string, string | number | boolean>;
  line: number;
  column: number;
}
