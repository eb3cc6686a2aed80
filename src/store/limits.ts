/** Default cap on live grants (each with its code and tokens): about 100,000 live tokens. */
export const DEFAULT_MAX_GRANTS = 50_000;
