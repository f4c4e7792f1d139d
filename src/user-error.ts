/**
 * A mistake the user can act on: a bad argument, configuration, shard, report to merge or history store. The CLI
 * prints its message in one line and exits 2, without a stack trace. Every such error extends this class, so the
 * CLI recognises the errors of lazily loaded commands (merge, history, graph) without importing their modules.
 */
export class UserError extends Error {}
