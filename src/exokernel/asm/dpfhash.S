/*
 * dpfhash.S: what DPF's code generator emits for a hash-table node of the
 * merged trie (DPF paper, Engler & Kaashoek SIGCOMM '96, sec. 3; dpf/hash.ts;
 * docs/reference/exokernel.md "DPF"): where sibling atoms compare the same field
 * against different constants, one table keyed by the constant replaces the
 * run of == atoms. The compiled node checks the packet is long enough,
 * loads and masks the field once, hashes it as dpf/hash.ts bucketOf does
 * (the top log2 bits of key * 0x9e3779b1: a multu, whose product mflo waits
 * for, 12 cycles after it issues: src/emu/mul.ts), indexes the table, whose
 * size and address are hard-wired in the code (DPF regenerates the node when
 * the table grows), then walks the bucket's chain comparing each entry's
 * stored key: on a match it jumps to that child's code, at the chain's end
 * it falls through (the next sibling, or no match). Keys are stored as the
 * little-endian load sees the field, as dpf_atoms' constants are (net.S).
 *
 *   dpf_hash      the node for a UDP destination port (bytes 36..37) over
 *                 a table of 64 buckets (HASH_BUCKETS_MIN) at dpf_htab: a
 *                 bucket is the address of its first entry (0: empty), an
 *                 entry is {key, child's code, next entry}. Costs.DPF_HASH
 *                 is everything but the chain (measured as the miss on an
 *                 empty bucket, from dpf_hash to dpf_hash_miss), and
 *                 Costs.DPF_HASH_ENTRY each entry of the chain compared,
 *                 whether the walk then jumps to the child or falls through.
 */
	.text
	.set	noreorder
	.set	noat
	/* a0 = the packet, a1 = its length. */
	.globl	dpf_hash
dpf_hash:
	sltiu	$t0, $a1, 38			/* the field's end past the packet? */
	bnez	$t0, dpf_hash_miss
	lhu	$t1, 36($a0)			/* the field (delay slot) */
	lui	$t2, 0x9e37			/* the multiplier (fills the load delay) */
	andi	$t1, $t1, 0xffff		/* the mask */
	ori	$t2, $t2, 0x79b1
	multu	$t1, $t2
	lui	$t5, %hi(dpf_htab)		/* the table, while the product forms */
	addiu	$t5, $t5, %lo(dpf_htab)
	mflo	$t3				/* waits for the product */
	srl	$t3, $t3, 32 - 6		/* its top log2(64) bits: the bucket */
	sll	$t3, $t3, 2
	addu	$t3, $t3, $t5
	lw	$t6, 0($t3)			/* the bucket's first entry */
	nop
	.globl	dpf_hash_chain
dpf_hash_chain:
	beqz	$t6, dpf_hash_miss		/* the chain's end: no child for this key */
	nop
	lw	$t7, 0($t6)			/* its key */
	lw	$t8, 4($t6)			/* its child's code */
	lw	$t6, 8($t6)			/* the next entry */
	bne	$t7, $t1, dpf_hash_chain
	nop
	jr	$t8				/* the child */
	nop
	.globl	dpf_hash_miss
dpf_hash_miss:
	jr	$ra				/* falls through: the next sibling, or no match */
	move	$v0, $zero

	.bss
	.align	2
	.globl	dpf_htab
dpf_htab:
	.space	64 * 4
