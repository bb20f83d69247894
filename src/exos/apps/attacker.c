/*
 * attacker: a hostile library OS. It tries what a program that owns its
 * whole address space and its exception handling could try against the
 * exokernel and the other environments, one line per attempt: what it
 * tried, what it got (an error code or an exception), and a verdict:
 *   ok          refused as the ABI says (or allowed, where it is allowed)
 *   BREACH      an attack the kernel should have refused succeeded
 *   UNEXPECTED  refused, but not the way the ABI says
 * then a summary; the exit status is 0 with no breach and no surprise,
 * 1 with a breach, 2 with only surprises.
 *
 *   attacker                  the attacks (attacker.c)
 *   attacker fuzz [n [seed [server]]]  n random system calls (attacker-fuzz.c);
 *                             with the PCT server's id, frame keys are swapped through it
 *   attacker victim <rounds> <seed> [server]  watches its pages for changes it did not make, and
 *                             with the server's id, a frame it shares read-write (attacker-victim.c)
 *   attacker server <quiet>  a PCT server for the fuzzers' calls (attacker-peer.c)
 *   attacker die <how>        one fault left to ExOS's handlers (attacker-die.c)
 *
 * Faulting instructions run in the probes of attacker-probe.S; the
 * handler below records the exception in the probe's v0 and skips the
 * instruction (save->epc += 4; a probe never faults in a delay slot).
 */
#include "attacker.h"

/* The exceptions that set BadVAddr. */
#define ADDRESS_EXC	(X(EXC_Mod) | X(EXC_TLBL) | X(EXC_TLBS) | X(EXC_AdEL) | X(EXC_AdES))

volatile uint32_t probe_badvaddr;
static volatile int jumping;
static exos_handler_t *chained[EXC_COUNT];
static uint32_t attempts, as_expected, breaches, surprises;
static char what[64];
int myframe;

/* Records an exception in a probe, or hands it to the handler we replaced. */
static void probe_trap(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t code = EXC_CODE(s->cause);
	int in_probe = s->epc >= (uint32_t)probe_begin && s->epc < (uint32_t)probe_end;

	if (jumping && s->epc == s->badvaddr) {
		jumping = 0;
		s->epc = tf->ra;		/* back to probe_jump's caller */
	} else if (in_probe && !(s->cause & CAUSE_BD)) {
		s->epc += 4;
	} else {
		chained[code](s, tf);
		return;
	}
	tf->v0 = PROBE_EXC | code;
	probe_badvaddr = s->badvaddr;
}

static void install_probe_handlers(void)
{
	uint32_t code;

	for (code = 1; code < EXC_COUNT; code++)
		if (code != EXC_Sys)
			chained[code] = exos_set_handler(code, probe_trap);
}

void attempt(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
}

void report(const char *outcome, int right, int succeeded)
{
	attempts++;
	if (right)
		as_expected++;
	else if (succeeded)
		breaches++;
	else
		surprises++;
	printf("%-48s %-22s %s\n", what, outcome,
	       right ? "ok" : succeeded ? "BREACH" : "UNEXPECTED");
}

int expect(int r, uint32_t want)
{
	uint32_t bit = r >= 0 ? 0 : (uint32_t)-r < 31 ? (uint32_t)-r : 30;

	report(exos_errname(r), (want >> bit) & 1, r >= 0);
	return r;
}

void expect_exc(uint32_t p, uint32_t want)
{
	char out[24];

	if (p && X(p & 0x1f) & ADDRESS_EXC)
		snprintf(out, sizeof out, "%s 0x%08x", exos_excname(p & 0x1f), probe_badvaddr);
	else if (p)
		snprintf(out, sizeof out, "%s", exos_excname(p & 0x1f));
	else
		snprintf(out, sizeof out, "no exception");
	report(out, p ? (want >> (p & 0x1f)) & 1 : (want & X_NONE) != 0, p == 0);
}

static uint32_t jump(uint32_t addr)
{
	uint32_t r;

	jumping = 1;
	r = probe_jump(addr);
	jumping = 0;
	return r;
}

/* Who owns frame f, in words. */
static const char *owner_name(uint32_t f)
{
	static char buf[16];
	uint32_t o = FRAME_OWNER(f);

	if (o == KERNEL_OWNER)
		return "the kernel";
	if (o == 0)
		return "nobody";
	if (o == (uint32_t)exos_envid)
		return "me";
	snprintf(buf, sizeof buf, "env %u", o);
	return buf;
}

/* Loads and stores where user mode may not go. */
static void kernel_memory(void)
{
	static const uint32_t kaddr[] = { 0x80000000u, 0xa0000000u, 0xc0000000u, 0xfffffffcu };
	uint32_t i, w;

	printf("-- kernel memory, from user mode\n");
	for (i = 0; i < sizeof kaddr / sizeof kaddr[0]; i++) {
		attempt("load from 0x%08x", kaddr[i]);
		expect_exc(probe_load(kaddr[i], &w), X(EXC_AdEL));
		attempt("store to 0x%08x", kaddr[i]);
		expect_exc(probe_store(kaddr[i], 0), X(EXC_AdES));
	}
	attempt("jump to 0x80000080 (the exception vector)");
	expect_exc(jump(0x80000080u), X(EXC_AdEL));
	attempt("jump to 0x00000000 (unmapped)");
	expect_exc(jump(0), X(EXC_TLBL));
	attempt("jump to a misaligned address");
	expect_exc(jump(LAYOUT_TEXT + 2), X(EXC_AdEL));
	attempt("misaligned load");
	expect_exc(probe_load(LAYOUT_TEXT + 1, &w), X(EXC_AdEL));
	attempt("store to 0x00000000 (unmapped)");
	expect_exc(probe_store(0, 0), X(EXC_TLBS));
	probe_load(LAYOUT_TEXT, &w);
	attempt("store to my own text (mapped without D)");
	expect_exc(probe_store(LAYOUT_TEXT, w), X(EXC_Mod));
}

/* The frame table and the info page: readable, never writable. */
static void visible_tables(void)
{
	uint32_t w = 0, r;
	char out[24];

	printf("-- the frame table and the info page\n");
	attempt("read frame 0's entry in the frame table");
	expect_exc(probe_load(LAYOUT_FRAMES, &w), X_NONE);
	attempt("frame 0's owner");
	snprintf(out, sizeof out, "0x%04x", w & FRAME_ENTRY_OWNER_MASK);
	report(out, (w & FRAME_ENTRY_OWNER_MASK) == KERNEL_OWNER, 0);
	attempt("store to the frame table");
	expect_exc(probe_store(LAYOUT_FRAMES, w), X(EXC_Mod) | X(EXC_TLBS));
	probe_load(LAYOUT_INFO + INFO_KEY_LO, &w);
	attempt("store to the info page");
	expect_exc(probe_store(LAYOUT_INFO + INFO_KEY_LO, w), X(EXC_Mod) | X(EXC_TLBS));
	attempt("tlb_read the info page (no D, please)");
	r = (uint32_t)sys_tlb_read(LAYOUT_INFO);
	if ((int)r < 0)
		snprintf(out, sizeof out, "%s", exos_errname((int)r));
	else
		snprintf(out, sizeof out, "EntryLo 0x%08x", r);
	report(out, (int)r >= 0 && !(r & ENTRYLO_D), (int)r >= 0 && (r & ENTRYLO_D));
	attempt("tlb_unmap the info page");
	expect(sys_tlb_unmap(LAYOUT_INFO), W(E_Inval) | W(E_NoEnt));
}

/* Instructions user mode may not run, and the other program exceptions. */
static void privileged(void)
{
	static const struct { const char *name; uint32_t (*probe)(void); uint32_t want; } p[] = {
		{ "mfc0 Status", probe_mfc0, X(EXC_CpU) },
		{ "mtc0 Context", probe_mtc0, X(EXC_CpU) },
		{ "tlbr", probe_tlbr, X(EXC_CpU) },
		{ "tlbwi", probe_tlbwi, X(EXC_CpU) },
		{ "tlbwr", probe_tlbwr, X(EXC_CpU) },
		{ "tlbp", probe_tlbp, X(EXC_CpU) },
		{ "rfe", probe_rfe, X(EXC_CpU) },
		{ "lwc1 (no coprocessor 1)", probe_cop1, X(EXC_CpU) },
		{ "break", probe_break, X(EXC_Bp) },
		{ "reserved opcode 0x1f", probe_reserved, X(EXC_RI) },
		{ "add overflowing", probe_overflow, X(EXC_Ov) },
	};
	uint32_t i;

	printf("-- privileged and faulting instructions\n");
	for (i = 0; i < sizeof p / sizeof p[0]; i++) {
		attempt("%s", p[i].name);
		expect_exc(p[i].probe(), p[i].want);
	}
}

/* Tries to map frame f at ATTACK_VA with key k, expecting E_Cap unless it is ours and k our key. */
static void map_foreign(uint32_t f, const struct exos_key *k, const char *keyname)
{
	int mine = FRAME_OWNER(f) == (uint32_t)exos_envid && k == &exos_key;

	attempt("map frame %u (%s) with %s", f, owner_name(f), keyname);
	if (expect(sys_tlb_map(ATTACK_VA, f << 12 | RW, k->lo, k->hi), mine ? W_OK : W(E_Cap)) >= 0)
		sys_tlb_unmap(ATTACK_VA);
}

/* Frames that are not ours, with our key and with forged ones. */
static void foreign_frames(void)
{
	static const struct exos_key forged[] = {
		{ 0, 0 }, { 0xffffffffu, 0xffffffffu }, { 1, 0 }, { 2, 0 }, { 0xdeadbeefu, 0 },
	};
	static const char *const forged_name[] = {
		"key 0", "key all ones", "key 1", "key 2", "key 0xdeadbeef",
	};
	uint32_t f, i, others = 0, info = (uint32_t)sys_tlb_read(LAYOUT_INFO) >> 12;

	printf("-- other owners' frames\n");
	for (f = 0; f <= 16; f++)
		map_foreign(f, &exos_key, "my key");
	for (i = 0; i < sizeof forged / sizeof forged[0]; i++)
		map_foreign(0, &forged[i], forged_name[i]);
	attempt("map my info page's frame with my key");
	expect(sys_tlb_map(ATTACK_VA, info << 12 | ENTRYLO_V, exos_key.lo, exos_key.hi), W(E_Cap));
	for (f = 0; f < exos_nframes && FRAME_OWNER(f) != 0; f++)
		;
	if (f < exos_nframes)
		map_foreign(f, &forged[0], "key 0");
	for (f = 0; f < exos_nframes && others < 2; f++) {
		uint32_t o = FRAME_OWNER(f);

		if (o == 0 || o == KERNEL_OWNER || o == (uint32_t)exos_envid)
			continue;
		others++;
		map_foreign(f, &exos_key, "my key");
		map_foreign(f, &forged[0], "key 0");
		attempt("frame_free frame %u (%s)", f, owner_name(f));
		expect(sys_frame_free(f), W(E_Perm));
	}
	if (!others)
		printf("(no other environment's frames to attack: run me beside another program)\n");
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "die") == 0)
		return die(argv[2]);
	install_probe_handlers();
	if (argc > 3 && strcmp(argv[1], "victim") == 0)
		return victim(strtoul(argv[2], 0, 0), strtoul(argv[3], 0, 0), argc > 4 ? strtoul(argv[4], 0, 0) : 0);
	if (argc > 2 && strcmp(argv[1], "server") == 0)
		return server(strtoul(argv[2], 0, 0));
	if (argc > 1 && strcmp(argv[1], "fuzz") == 0)
	{
		peer_server = argc > 4 ? strtoul(argv[4], 0, 0) : 0;
		return fuzz(argc > 2 ? strtoul(argv[2], 0, 0) : 100000,
			    argc > 3 ? strtoul(argv[3], 0, 0) : 1);
	}
	myframe = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
	if (myframe < 0) {
		printf("attacker: no frame of my own: %s\n", exos_errname(myframe));
		return 2;
	}
	printf("attacker: a hostile library OS in environment %d\n", exos_envid);
	kernel_memory();
	visible_tables();
	privileged();
	foreign_frames();
	frame_calls();
	capabilities();
	tlb_calls();
	syscalls();
	printf("attacker: %u attempts, %u as expected, %u breaches, %u unexpected\n",
	       attempts, as_expected, breaches, surprises);
	return breaches ? 1 : surprises ? 2 : 0;
}
