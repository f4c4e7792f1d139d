import type { ConnectorContext } from '../../src/plugin.js';

/** `settings.aws.accountId`, for imports that cannot tell their account (imports get `settings.import`, so it is read from the config). */
export function settingsAccount(ctx: ConnectorContext): string | undefined {
  const value = ctx.options.accountId ?? ctx.config.settings.aws?.accountId;
  return typeof value === 'string' && /^\d{12}$/.test(value) ? value : undefined;
}
