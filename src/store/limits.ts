/**
 * Default cap on live grants (each with its code and tokens): about 40,000 live tokens, ~26 MB
 * of token bookkeeping (1.3 kB a grant), so that the whole CLI stays under 200 MB of RSS under any
 * history (measured: 120-170 MB over 200,000 flows, README "Store").
 */
export const DEFAULT_MAX_GRANTS = 20_000;
