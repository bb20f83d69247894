/*
 * test.h: small helpers shared by the conformance programs.
 *
 * Every check prints one line, "<what>: <result>", so that the console
 * output of a run can be diffed against src/exos/conformance/<name>.expected.
 * Inline assembler in these programs always says `.set noreorder` and
 * carries its own nops: gcc emits its code in noreorder mode and does not
 * know about the load, coprocessor and HI/LO hazards inside an asm block.
 */
#ifndef EXOS_BAREMETAL_TEST_H
#define EXOS_BAREMETAL_TEST_H

#include <stdint.h>
#include "rt.h"

#define ASM_BEGIN ".set push\n\t.set noreorder\n\t.set noat\n\t"
#define ASM_END "\n\t.set pop"

/* Returns a value gcc cannot see through, so checks are not folded. */
static inline uint32_t opaque(uint32_t v)
{
	__asm__ volatile("" : "+r"(v));
	return v;
}

/* Returns the name of an ExcCode ("Ov", "AdEL", ...; "exc13" past Ov). */
static inline const char *exc_name(uint32_t code)
{
	static const char *const names[32] = {
		"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
		"Sys", "Bp", "RI", "CpU", "Ov", "exc13", "exc14", "exc15",
		"exc16", "exc17", "exc18", "exc19", "exc20", "exc21", "exc22",
		"exc23", "exc24", "exc25", "exc26", "exc27", "exc28", "exc29",
		"exc30", "exc31",
	};
	return names[code & 31];
}

#endif
