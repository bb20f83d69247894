// The palette of environments, one for every pane: each environment's
// look (a theme role) and symbol. No React here: selectors use it, and
// selectors are imported before main.ts loads React in its production
// build (importing React first, in development mode, would pair it with
// the production reconciler Ink loads later, and nothing would render).

/** The looks of the environments that own time slices, in turn by id. */
export const OWNER_ROLES = ['owner1', 'owner2', 'owner3', 'owner4', 'owner5', 'owner6'] as const;
export type OwnerRole = (typeof OWNER_ROLES)[number];

/** The symbols of environments 1 to 61, in turn by id (ownerSymbol). */
const SYMBOLS = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The palette of environments, one for every pane (slices, frames,
 * TLB/STLB, environments, the packet filter): environment `id`'s look
 * (colors repeat after six) ...
 */
export function ownerRole(id: number): OwnerRole {
  return OWNER_ROLES[(((id - 1) % OWNER_ROLES.length) + OWNER_ROLES.length) % OWNER_ROLES.length];
}

/**
 * ... and its symbol, which tells owners apart without color: 1-9, A-Z,
 * then a-z; from environment 62 on they repeat, as the colors do (a long
 * run creates hundreds, of which a few are alive at once, and every
 * legend names each symbol's environment). "?" only for an id below 1.
 */
export function ownerSymbol(id: number): string {
  return id >= 1 ? SYMBOLS[(id - 1) % SYMBOLS.length] : '?';
}
