/**
 * Default cap on live grants (each with its code and tokens): about 40,000 live tokens, ~30 MB
 * of token bookkeeping, so that the whole process stays near 200 MB of RSS under any history.
 */
export const DEFAULT_MAX_GRANTS = 20_000;
