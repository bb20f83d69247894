/*
 * net.S: the kernel's network work (net.ts, netdev.ts; Aegis paper, sec.
 * 5.5 and docs/reference/exokernel.md "DPF", "ASHs"), as MIPS I.
 *
 *   net_intr      the LANCE's interrupt (Cause.IP2 through the KN02 system
 *                 CSR): from intr_entry (interrupt.S), read CSR0 and write
 *                 back the bits seen to acknowledge them (Am7990: writing
 *                 1 clears RINT/TINT), then take received frames.
 *                 Measured from exc_vector to net_rx: Costs.NET_INTERRUPT.
 *   dpf_atoms     what DPF's code generator emits for one compare atom:
 *                 a bounds check on the packet's length, the load, the
 *                 mask, the compare. Three atoms (Ethernet type, IP
 *                 protocol, UDP port) are measured and divided by three:
 *                 Costs.DPF_ATOM, per atom the classification visits.
 *   ring_copy     the frame into the owner's ring slot, a word at a time,
 *                 from the LANCE's buffer SRAM: Costs.RING_COPY_WORD per
 *                 word (measured at two lengths; the difference over the
 *                 words), and Costs.RING_SLOT for the rest (claim a slot:
 *                 head, tail, full?, its address; the length word; publish
 *                 the head).
 *   ash_enter     handing a frame to an ASH: keep the kernel's sp, the
 *                 owner's address space, a0 = the frame, a1 = its length,
 *                 ra = the return stub, user mode at the ASH:
 *                 Costs.ASH_SETUP (its own instructions are counted by
 *                 ash.ts and charged as they run).
 *   net_transmit  net_send after the checks: the frame into the next
 *                 transmit buffer (ring_copy's loop, charged per word), the
 *                 descriptor (buffer, -length, OWN|STP|ENP) and TDMD in
 *                 CSR0 (netdev.ts send): Costs.TRANSMIT.
 */
#include "aegis.h"

	.text
	.set	noreorder
	.set	noat
	.globl	net_intr
net_intr:
	lui	$k1, %hi(LANCE_RAP)
	sh	$zero, %lo(LANCE_RAP)($k1)	/* select CSR0 */
	lhu	$k0, %lo(LANCE_RDP)($k1)
	nop
	andi	$k0, $k0, CSR0_RINT | 0x200	/* RINT, TINT */
	ori	$k0, $k0, CSR0_INEA
	sh	$k0, %lo(LANCE_RDP)($k1)		/* acknowledge what was seen */
	.globl	net_rx
net_rx:
	break	5				/* then each frame: classify, copy, publish */
	nop

	.set	at
	/* a0 = the packet, a1 = its length; v0 = 1 when all three atoms pass. */
	.globl	dpf_atoms
dpf_atoms:
	/* ether type 0x0800 (bytes 12..13, network order) */
	sltiu	$t0, $a1, 14
	bnez	$t0, dpf_fail
	lhu	$t1, 12($a0)
	nop
	andi	$t1, $t1, 0xffff
	xori	$t1, $t1, 0x0008			/* 0x0800 as the little-endian lhu sees it */
	bnez	$t1, dpf_fail
	nop
	/* IP protocol 17 (byte 23) */
	sltiu	$t0, $a1, 24
	bnez	$t0, dpf_fail
	lbu	$t1, 23($a0)
	nop
	andi	$t1, $t1, 0xff
	xori	$t1, $t1, 17
	bnez	$t1, dpf_fail
	nop
	/* UDP destination port 7 (bytes 36..37) */
	sltiu	$t0, $a1, 38
	bnez	$t0, dpf_fail
	lhu	$t1, 36($a0)
	nop
	andi	$t1, $t1, 0xffff
	xori	$t1, $t1, 0x0700
	bnez	$t1, dpf_fail
	nop
	.globl	dpf_atoms_end
dpf_atoms_end:
	jr	$ra
	addiu	$v0, $zero, 1
dpf_fail:
	jr	$ra
	move	$v0, $zero

	/*
	 * a0 = the ring (kseg0: head, tail, slots, slot size, dropped, data;
	 * abi.ts Ring), a1 = the frame in SRAM, a2 = its length in bytes.
	 * v0 = the slot, or 0 when the ring is full.
	 */
	.globl	ring_copy
ring_copy:
	lw	$t0, 0($a0)			/* head */
	lw	$t1, 4($a0)			/* tail */
	lw	$t2, 8($a0)			/* slots */
	subu	$t3, $t0, $t1
	sltu	$t3, $t3, $t2
	beqz	$t3, ring_full
	lw	$t3, 12($a0)			/* slot size (delay slot) */
	divu	$zero, $t0, $t2			/* head % slots (mfhi waits 34 cycles for it: src/emu/mul.ts) */
	mfhi	$t4
	multu	$t4, $t3
	mflo	$t4
	addu	$v0, $a0, $t4
	addiu	$v0, $v0, 32			/* Ring.DATA: the slot */
	sw	$a2, 0($v0)			/* its length word */
	addiu	$t5, $v0, 4
	addiu	$t6, $a2, 3
	srl	$t6, $t6, 2
	sll	$t6, $t6, 2
	addu	$t6, $a1, $t6			/* the end of the frame, in words */
	.globl	ring_copy_loop
ring_copy_loop:
	lw	$t7, 0($a1)
	addiu	$a1, $a1, 4
	addiu	$t5, $t5, 4
	bne	$a1, $t6, ring_copy_loop
	sw	$t7, -4($t5)
	addiu	$t0, $t0, 1
	jr	$ra
	sw	$t0, 0($a0)			/* publish: head + 1 */
ring_full:
	lw	$t0, 16($a0)
	move	$v0, $zero
	addiu	$t0, $t0, 1
	jr	$ra
	sw	$t0, 16($a0)			/* counted in DROPPED */

	/*
	 * a0 = the frame's user address, a1 = its length, a2 = the owner,
	 * a3 = the ASH's entry pc. Returns through ash_return when the ASH
	 * calls its return stub.
	 */
	.set	noat
	.globl	ash_enter
ash_enter:
	lui	$t0, %hi(kdata)
	sw	$sp, %lo(kdata+KD_ASHSP)($t0)	/* the kernel's state to come back to */
	sw	$ra, %lo(kdata+KD_URA)($t0)
	lw	$t1, ENV_ASID($a2)
	nop
	mtc0	$t1, C0_ENTRYHI			/* the owner's address space */
	mfc0	$t1, C0_STATUS
	li	$ra, 0x7ffff000			/* the return stub: a page nothing maps */
	ori	$t1, $t1, 0x8			/* KUp: user mode after rfe */
	mtc0	$t1, C0_STATUS
	move	$sp, $zero
	jr	$a3
	rfe

	/*
	 * a0 = the frame in kseg0 (the caller's copy), a1 = its length in
	 * bytes (60 at least). Rings and buffers as netdev.ts lays them out
 * (16 receive, 8 transmit); the descriptor is the LANCE's:
	 * buffer low 16 bits, then OWN|STP|ENP|buffer high, -length, 0.
	 */
	.set	at
	.globl	net_transmit
net_transmit:
	lui	$t0, %hi(kdata)
	lw	$t1, %lo(kdata+KD_TXNEXT)($t0)	/* transmit descriptor index */
	lui	$t2, %hi(LANCE_BASE)
	sll	$t3, $t1, 3
	addu	$t3, $t3, $t2
	addiu	$t3, $t3, 0x100 + 8 * 16		/* its descriptor: after 16 receive ones (netdev.ts) */
	addiu	$t4, $zero, 1536			/* NET_BUFFER */
	multu	$t1, $t4
	mflo	$t4
	addu	$t4, $t4, $t2
	addiu	$t4, $t4, 0x1000 + 1536 * 16	/* its buffer: after 16 receive buffers */
	addiu	$t6, $a1, 3
	srl	$t6, $t6, 2
	sll	$t6, $t6, 2
	addu	$t6, $a0, $t6
	move	$t5, $t4
	.globl	tx_copy_loop
tx_copy_loop:
	lw	$t7, 0($a0)
	addiu	$a0, $a0, 4
	addiu	$t5, $t5, 4
	bne	$a0, $t6, tx_copy_loop
	sw	$t7, -4($t5)
	andi	$t5, $t4, 0xffff
	sh	$t5, 0($t3)			/* the buffer's address */
	subu	$t5, $zero, $a1
	sh	$t5, 4($t3)			/* -length */
	sh	$zero, 6($t3)
	li	$t5, 0x8000 | 0x0200 | 0x0100	/* OWN | STP | ENP */
	sh	$t5, 2($t3)			/* the chip owns it now */
	addiu	$t1, $t1, 1
	andi	$t1, $t1, 7
	sw	$t1, %lo(kdata+KD_TXNEXT)($t0)
	lui	$t2, %hi(LANCE_RAP)
	sh	$zero, %lo(LANCE_RAP)($t2)	/* CSR0 */
	addiu	$t5, $zero, CSR0_INEA | CSR0_TDMD
	sh	$t5, %lo(LANCE_RDP)($t2)		/* transmit now */
	jr	$ra
	move	$v0, $a1
