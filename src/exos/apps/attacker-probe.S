/*
 * attacker-probe.S: one dangerous instruction per function, each with v0 =
 * 0 first and the instruction outside any delay slot, so that the
 * attacker's handler can record the exception in the saved v0 and skip
 * the instruction (save->epc += 4). See attacker.c.
 */
#include "attacker.h"

	.set	noreorder
	.set	noat
	.text

	.globl	probe_begin
probe_begin:

#define PROBE(name, ...) \
	.globl name; .ent name; \
name:	move $v0, $zero; __VA_ARGS__; nop; jr $ra; nop; \
	.end name

/* probe_load(addr, out): *out = *(uint32_t *)addr. */
	.globl	probe_load
	.ent	probe_load
probe_load:
	move	$v0, $zero
	lw	$t0, 0($a0)
	nop
	jr	$ra
	sw	$t0, 0($a1)
	.end	probe_load

PROBE(probe_store, sw $a1, 0($a0))
PROBE(probe_mfc0, mfc0 $t0, $12)
PROBE(probe_mtc0, mtc0 $zero, $4)
PROBE(probe_tlbr, tlbr)
PROBE(probe_tlbwi, tlbwi)
PROBE(probe_tlbwr, tlbwr)
PROBE(probe_tlbp, tlbp)
PROBE(probe_rfe, rfe)
PROBE(probe_cop1, .word 0xc7a00000)	/* lwc1 $f0, 0($sp) */
PROBE(probe_break, break)
PROBE(probe_reserved, .word 0x7c000000)	/* opcode 0x1f */

/* probe_overflow(): add traps on signed overflow (R30xx manual, "ADD"). */
	.globl	probe_overflow
	.ent	probe_overflow
probe_overflow:
	move	$v0, $zero
	lui	$t0, 0x7fff
	ori	$t0, $t0, 0xffff
	add	$t1, $t0, $t0
	nop
	jr	$ra
	nop
	.end	probe_overflow

/*
 * probe_jump(addr): jumps to addr with ra unchanged, so that when the fetch
 * faults the handler can return to our caller (save->epc = ra).
 */
	.globl	probe_jump
	.ent	probe_jump
probe_jump:
	move	$v0, $zero
	jr	$a0
	nop
	.end	probe_jump

	.globl	probe_end
probe_end:
