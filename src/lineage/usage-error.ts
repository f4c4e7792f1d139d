/** A `graph` command-line mistake (exit 2); its own module so the CLI recognises it without loading the graph code. */
export class GraphUsageError extends Error {}
