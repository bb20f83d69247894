/*
 * attacker-calls.c: the attacker's system-call attacks: frame calls on
 * frames that are not its own, what a read capability allows and what
 * rekey and free take away, tlb_map arguments the kernel must refuse, and
 * bad pointers, numbers, handlers and save areas. See attacker.c.
 */
#include "attacker.h"

/* Frame calls on frames that are not ours, or that do not exist. */
void frame_calls(void)
{
	printf("-- frame calls\n");
	attempt("frame_alloc frame 0 (the kernel's)");
	expect(sys_frame_alloc(0, exos_key.lo, exos_key.hi), W(E_Busy));
	attempt("frame_alloc frame %u (past the end)", exos_nframes);
	expect(sys_frame_alloc((int)exos_nframes, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("frame_alloc frame -2");
	expect(sys_frame_alloc(-2, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("frame_free frame 0");
	expect(sys_frame_free(0), W(E_Perm));
	attempt("frame_grant myself read-write on frame 0");
	expect(sys_frame_grant(0, RIGHTS_ReadWrite, 0, 0), W(E_Perm));
	attempt("frame_rekey frame 0");
	expect(sys_frame_rekey(0), W(E_Perm));
	attempt("frame_free frame %u (past the end)", exos_nframes);
	expect(sys_frame_free(exos_nframes), W(E_Inval));
	attempt("frame_grant with rights 0");
	expect(sys_frame_grant((uint32_t)myframe, 0, 5, 5), W(E_Inval));
	attempt("frame_grant with rights 4");
	expect(sys_frame_grant((uint32_t)myframe, 4, 5, 5), W(E_Inval));
}

/* A read capability, its limits, and what rekey and free do to it. */
void capabilities(void)
{
	static const struct exos_key rkey = { 0x12345678u, 0x9abcdef0u };
	uint32_t f, n;
	int r;

	printf("-- capabilities: read-only grants, rekey, free\n");
	r = sys_frame_alloc(-1, exos_key.lo, exos_key.hi);
	if (r < 0) {
		printf("(cannot allocate a frame: %s)\n", exos_errname(r));
		return;
	}
	f = (uint32_t)r;
	attempt("grant a read key on a frame of mine");
	expect(sys_frame_grant(f, RIGHTS_Read, rkey.lo, rkey.hi), W_OK);
	attempt("map it read-only with the read key");
	expect(sys_tlb_map(ATTACK_VA, f << 12 | ENTRYLO_V, rkey.lo, rkey.hi), W_OK);
	attempt("map it writable with the read key");
	expect(sys_tlb_map(ATTACK_VA, f << 12 | RW, rkey.lo, rkey.hi), W(E_Perm));
	attempt("rekey the frame");
	expect(sys_frame_rekey(f), W_OK);
	attempt("replay the read key after the rekey");
	expect(sys_tlb_map(ATTACK_VA, f << 12 | ENTRYLO_V, rkey.lo, rkey.hi), W(E_Cap));
	for (n = 0; n < 64 && (r = sys_frame_grant(f, RIGHTS_Read, n, 1)) == 0; n++)
		;
	attempt("grant until the access list is full (%u grants)", n);
	expect(r, W(E_NoSpc));
	attempt("map it with my key");
	expect(sys_tlb_map(ATTACK_VA, f << 12 | RW, exos_key.lo, exos_key.hi), W_OK);
	attempt("free the frame");
	expect(sys_frame_free(f), W_OK);
	attempt("tlb_read the mapping after the free");
	expect(sys_tlb_read(ATTACK_VA), W(E_NoEnt));
	attempt("map the freed frame with my old key");
	expect(sys_tlb_map(ATTACK_VA, f << 12 | RW, exos_key.lo, exos_key.hi), W(E_Cap));
	attempt("frame_free it again");
	expect(sys_frame_free(f), W(E_Perm));
}

/* tlb_map with what the kernel must refuse, on a frame we own. */
void tlb_calls(void)
{
	uint32_t lo = (uint32_t)myframe << 12 | RW;

	printf("-- tlb_map and friends\n");
	attempt("map with EntryLo.G set");
	expect(sys_tlb_map(ATTACK_VA, lo | ENTRYLO_G, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map kseg0 0x80000000");
	expect(sys_tlb_map(0x80000000u, lo, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map kseg2 0xc0000000");
	expect(sys_tlb_map(0xc0000000u, lo, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map over the info page");
	expect(sys_tlb_map(LAYOUT_INFO, lo, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map over the frame table");
	expect(sys_tlb_map(LAYOUT_FRAMES, lo, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map frame %u (past the end of RAM)", exos_nframes);
	expect(sys_tlb_map(ATTACK_VA, exos_nframes << 12 | RW, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map PFN 0xfffff");
	expect(sys_tlb_map(ATTACK_VA, 0xfffff000u | RW, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("map with unknown flag bits in a0");
	expect(sys_tlb_map(ATTACK_VA | 2, lo, exos_key.lo, exos_key.hi), W(E_Inval));
	attempt("tlb_unmap kseg0 0x80000000");
	expect(sys_tlb_unmap(0x80000000u), W(E_Inval) | W(E_NoEnt));
	attempt("tlb_read kseg0 0x80000000");
	expect(sys_tlb_read(0x80000000u), W(E_Inval) | W(E_NoEnt));
	attempt("tlb_unmap a page nobody mapped");
	expect(sys_tlb_unmap(ATTACK_VA + PAGE_SIZE), W(E_NoEnt));
}

/* Bad pointers, bad numbers, bad handlers and save areas. */
void syscalls(void)
{
	static const uint32_t bad_nums[] = { SYS_COUNT, SYS_COUNT + 1, 0x80000000u, 0xffffffffu };
	static const char *const bad_num_names[] = { "SYS_COUNT", "SYS_COUNT + 1", "0x80000000", "-1" };
	static const uint32_t bad_ptrs[] = { 0, 0x80000000u, ATTACK_VA, 0x7ffffffeu,
					     LAYOUT_INFO + PAGE_SIZE - 2 };
	/* In kseg0, misaligned, across a page boundary, null. */
	static const uint32_t bad_saves[] = { 0x80001000u, ATTACK_VA + 2,
					      ATTACK_VA + PAGE_SIZE - 8, 0 };
	uint32_t i;

	printf("-- system call arguments\n");
	for (i = 0; i < sizeof bad_ptrs / sizeof bad_ptrs[0]; i++) {
		attempt("cputs from 0x%08x", bad_ptrs[i]);
		expect(sys_cputs((const char *)bad_ptrs[i], 4), W(E_Fault));
	}
	attempt("cputs with length -1");
	expect(sys_cputs((const char *)LAYOUT_TEXT, 0xffffffffu), W(E_Inval) | W(E_Fault));
	for (i = 0; i < sizeof bad_nums / sizeof bad_nums[0]; i++) {
		attempt("system call number %s", bad_num_names[i]);
		expect(sys_call(0, 0, 0, 0, bad_nums[i]), W(E_NoSys));
	}
	attempt("set_handler for code 0 (interrupts)");
	expect(sys_set_handler(EXC_Int, (uint32_t)exos_upcall), W(E_Inval));
	attempt("set_handler for code 13");
	expect(sys_set_handler(EXC_COUNT, (uint32_t)exos_upcall), W(E_Inval));
	attempt("set_handler TLBL to kernel code 0x80000080");
	if (expect(sys_set_handler(EXC_TLBL, 0x80000080u), W(E_Inval)) >= 0)
		sys_set_handler(EXC_TLBL, (uint32_t)exos_upcall);
	for (i = 0; i < sizeof bad_saves / sizeof bad_saves[0]; i++) {
		attempt("set_savearea 0x%08x", bad_saves[i]);
		if (expect(sys_set_savearea(bad_saves[i]), W(E_Inval)) >= 0)
			sys_set_savearea((uint32_t)&exos_save);
	}
}
