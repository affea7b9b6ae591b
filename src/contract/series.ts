/**
 * The owner name host metrics are recorded under in the history sidecar (not a valid engine
 * name, so it never clashes). Shared by the monitor that records and the pages that chart.
 */
export const HOST_OWNER = '@host';
