/*
 * forger: a hostile library OS that forges capabilities (docs/protection.md, "Keys").
 *
 *   forger forge <envs>   reads its own info page, takes its key and its
 *                         seed for four consecutive outputs of an
 *                         xorshift128 generator (the kernel's key
 *                         generator it replaced: per environment the
 *                         key, then the seed), runs the generator forward
 *                         and backward to predict the keys of environments
 *                         1..<envs>, and tries to bind every frame another
 *                         environment owns (the frame table says who)
 *                         writable with the key predicted for its owner.
 *                         A binding that works is a breach; the forger
 *                         proves it by overwriting the victim's vault.
 *   forger keep <yields>  a victim: keeps a vault of words in its data,
 *                         yields <yields> times, then checks the vault.
 *
 * It prints `forger: tried <n> frames of <m> environments, <b> bound`,
 * then `forger: no forged key binds` (exit 0) or `forger: BREACH ...`
 * (exit 1); the victim `keeper: vault intact` (exit 0) or `keeper: vault
 * CORRUPTED` (exit 1).
 */
#include "exos.h"

#define VAULT0		0x7661756cu	/* "luav": marks the vault for the forger to find */
#define VAULT1		0x74217421u
#define SECRET0		0x13572468u
#define SECRET1		0x2468ace0u
#define FORGED		0xf0f6ed00u
#define ENVS_MAX	32
#define SCRATCH_VA	0x20000000u
#define WORDS		(PAGE_SIZE / 4)

static volatile uint32_t vault[4] = { VAULT0, VAULT1, SECRET0, SECRET1 };

/* Outputs o[1..4 * ENVS_MAX] of the generator: env i's key is o[4i-3], o[4i-2]. */
static uint32_t out[4 * ENVS_MAX + 1];

/* xorshift128's step: the next output from the one four back (t) and the last (u). */
static uint32_t step(uint32_t t, uint32_t u)
{
	t ^= t << 11;
	t ^= t >> 8;
	return t ^ u ^ (u >> 19);
}

/* The inverse: the output four back from the next one (x) and the last (u). */
static uint32_t unstep(uint32_t x, uint32_t u)
{
	uint32_t t = x ^ u ^ (u >> 19);

	t ^= (t >> 8) ^ (t >> 16) ^ (t >> 24);
	return t ^ (t << 11) ^ (t << 22);
}

/* Fills out[] around our own four outputs (key lo, key hi, seed lo, seed hi). */
static void predict(uint32_t me, uint32_t envs)
{
	uint32_t n, at = 4 * me - 3;

	out[at] = INFO_WORD(INFO_KEY_LO);
	out[at + 1] = INFO_WORD(INFO_KEY_HI);
	out[at + 2] = INFO_WORD(INFO_SEED_LO);
	out[at + 3] = INFO_WORD(INFO_SEED_HI);
	for (n = at + 4; n <= 4 * envs; n++)
		out[n] = step(out[n - 4], out[n - 1]);
	for (n = at - 1; n >= 1; n--)
		out[n] = unstep(out[n + 4], out[n + 3]);
}

/* With `frame` bound at SCRATCH_VA: overwrites a vault found there; returns 1 if one was. */
static int raid(void)
{
	volatile uint32_t *w = (volatile uint32_t *)SCRATCH_VA;
	uint32_t i;

	for (i = 0; i + 3 < WORDS; i++) {
		if (w[i] == VAULT0 && w[i + 1] == VAULT1) {
			w[i + 2] = FORGED;
			w[i + 3] = FORGED;
			return 1;
		}
	}
	return 0;
}

static int forge(uint32_t envs)
{
	uint32_t me = (uint32_t)exos_envid, f, owner, tried = 0, bound = 0, raided = 0;
	uint32_t seen[ENVS_MAX + 1] = { 0 }, victims = 0;
	int r;

	if (envs > ENVS_MAX || me > envs) {
		printf("forger: <envs> must be at least my id %u and at most %u\n", me, ENVS_MAX);
		return 2;
	}
	predict(me, envs);
	for (f = 0; f < exos_nframes; f++) {
		owner = FRAME_OWNER(f);
		if (owner == 0 || owner == me || owner > envs)
			continue;
		tried++;
		victims += !seen[owner];
		seen[owner] = 1;
		r = sys_tlb_map(SCRATCH_VA, f << 12 | ENTRYLO_D | ENTRYLO_V,
				out[4 * owner - 3], out[4 * owner - 2]);
		if (r != 0)
			continue;
		bound++;
		raided += raid();
		printf("forger: BREACH: bound frame %u of environment %u writable with key 0x%08x%08x\n",
		       f, owner, out[4 * owner - 2], out[4 * owner - 3]);
		sys_tlb_unmap(SCRATCH_VA);
	}
	printf("forger: tried %u frames of %u environments, %u bound, %u vaults overwritten\n",
	       tried, victims, bound, raided);
	if (bound == 0)
		printf("forger: no forged key binds\n");
	return bound ? 1 : 0;
}

static int keep(uint32_t yields)
{
	uint32_t i;

	for (i = 0; i < yields; i++)
		sys_yield();
	if (vault[2] == SECRET0 && vault[3] == SECRET1) {
		printf("keeper: vault intact\n");
		return 0;
	}
	printf("keeper: vault CORRUPTED (0x%08x 0x%08x)\n", vault[2], vault[3]);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "forge") == 0)
		return forge(strtoul(argv[2], 0, 0));
	if (argc == 3 && strcmp(argv[1], "keep") == 0)
		return keep(strtoul(argv[2], 0, 0));
	printf("usage: forger forge <envs> | forger keep <yields>\n");
	return 2;
}
