/*
 * attacker.h: what the parts of the attacker program share.
 */
#ifndef ATTACKER_H
#define ATTACKER_H

#include "exos.h"

/* A probe returns 0, or PROBE_EXC | ExcCode when its one instruction faulted. */
#define PROBE_EXC	0x100

/* attacker-probe.S: each runs one dangerous instruction, never in a delay slot. */
uint32_t probe_load(uint32_t addr, uint32_t *out);
uint32_t probe_store(uint32_t addr, uint32_t value);
uint32_t probe_jump(uint32_t addr);	/* jumps to addr; the handler brings it back */
uint32_t probe_mfc0(void);		/* mfc0 Status */
uint32_t probe_mtc0(void);		/* mtc0 zero to Context */
uint32_t probe_tlbr(void);
uint32_t probe_tlbwi(void);
uint32_t probe_tlbwr(void);
uint32_t probe_tlbp(void);
uint32_t probe_rfe(void);
uint32_t probe_cop1(void);		/* lwc1: coprocessor 1 is unusable */
uint32_t probe_break(void);
uint32_t probe_reserved(void);		/* opcode 0x1f: reserved on MIPS I */
uint32_t probe_overflow(void);		/* add 0x7fffffff + 0x7fffffff */
extern char probe_begin[], probe_end[];

/* BadVAddr of the last probe that faulted. */
extern volatile uint32_t probe_badvaddr;

/* attacker-fuzz.c: issues `count` system calls from a PRNG seeded with `seed`; returns the exit status. */
int fuzz(uint32_t count, uint32_t seed);

/* An address range nothing else in the program uses: attacks and the fuzzer map pages here. */
#define ATTACK_VA	0x40000000u
#define FUZZ_VA		0x50000000u
#define FUZZ_PAGES	64

void exos_upcall(void);	/* ExOS's trampoline (trap.S), to restore a handler */

#endif
