// The palette of environments, one for every pane: each environment's
// look (a theme role) and symbol. No React here: selectors use it, and
// selectors are imported before main.ts loads React in its production
// build (importing React first, in development mode, would pair it with
// the production reconciler Ink loads later, and nothing would render).

/** The looks of the environments that own time slices, in turn by id. */
export const OWNER_ROLES = ['owner1', 'owner2', 'owner3', 'owner4', 'owner5', 'owner6'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

/**
 * The palette of environments, one for every pane (slices, frames,
 * TLB/STLB, environments, the packet filter): environment `id`'s look
 * (colors repeat after six) ...
 */
export function ownerRole(id: number): OwnerRole {
  return OWNER_ROLES[(((id - 1) % OWNER_ROLES.length) + OWNER_ROLES.length) % OWNER_ROLES.length];
}

/** ... and its symbol, which tells owners apart without color: 1-9, then A-Z, then "?". */
export function ownerSymbol(id: number): string {
  if (id >= 1 && id <= 9) return String(id);
  if (id >= 10 && id < 36) return String.fromCharCode(55 + id);
  return '?';
}
