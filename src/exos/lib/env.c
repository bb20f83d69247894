/*
 * env.c: bringing the environment up, before main (crt0.S): what the
 * kernel wrote in the info page (id, frames, key, arguments), the save
 * area and a handler for every exception the library OS fields, the page
 * table and the heap (the Aegis paper, sec. 5.2: the kernel dispatches
 * exceptions to the environment, which must say where).
 */
#include "exos.h"

void exos_upcall(void);			/* trap.S */
void vm_init(void);			/* vm.c */
void heap_init(void);			/* malloc.c */

int exos_envid;
uint32_t exos_nframes;
struct exos_key exos_key;
int exos_argc;
char *exos_argv[ARGV_MAX + 1];

/* In .bss, so in a guaranteed page; 32-byte aligned, so inside one page. */
struct exos_save exos_save __attribute__((aligned(SAVE_SIZE)));

/* Reads the info page; copies argv so that argv[argc] is a null pointer. */
static void read_info(void)
{
	uint32_t i;

	exos_envid = (int)INFO_WORD(INFO_ENVID);
	exos_nframes = INFO_WORD(INFO_NFRAMES);
	exos_key.lo = INFO_WORD(INFO_KEY_LO);
	exos_key.hi = INFO_WORD(INFO_KEY_HI);
	exos_argc = (int)INFO_WORD(INFO_ARGC);
	if (exos_argc < 0 || exos_argc > ARGV_MAX)
		exos_argc = 0;
	for (i = 0; i < (uint32_t)exos_argc; i++)
		exos_argv[i] = (char *)INFO_WORD(INFO_ARGV + 4 * i);
	exos_argv[exos_argc] = 0;
}

/*
 * Brings ExOS up, before main (crt0.S): the info page, the save area, a
 * handler for every exception code but Int and Sys, the page table and
 * the heap. Exits with a message if the kernel refuses the save area or a
 * handler.
 */
void exos_init(void)
{
	uint32_t code;
	int r;

	read_info();
	r = sys_set_savearea((uint32_t)&exos_save);
	if (r < 0) {
		printf("exos: set_savearea refused: %s\n", exos_errname(r));
		exit(EXIT_FAULT(0));
	}
	for (code = 1; code < EXC_COUNT; code++) {
		if (code == EXC_Sys)
			continue;
		exos_set_handler(code, exos_fatal);
		r = sys_set_handler(code, (uint32_t)exos_upcall);
		if (r < 0) {
			printf("exos: set_handler(%s) refused: %s\n",
			       exos_excname(code), exos_errname(r));
			exit(EXIT_FAULT(0));
		}
	}
	exos_set_handler(EXC_TLBL, vm_tlb_miss);
	exos_set_handler(EXC_TLBS, vm_tlb_miss);
	exos_set_handler(EXC_Mod, vm_mod);
	vm_init();
	heap_init();
}

int exos_parse_key(const char *s, struct exos_key *k)
{
	uint32_t n, i;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n == 0 || n > 16)
		return -1;
	k->hi = 0;
	for (i = 0; n > 8 && i < n - 8; i++) {
		char c[2] = { s[i], 0 };
		uint32_t d = strtoul(c, &end, 16);

		if (*end)
			return -1;
		k->hi = k->hi << 4 | d;
	}
	k->lo = strtoul(s + i, &end, 16);
	return *end ? -1 : 0;
}
