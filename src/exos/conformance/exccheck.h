/*
 * exccheck.h: reporting helpers shared by the exception conformance
 * programs (exceptions, usermode, buserror, tlb).
 */
#ifndef EXOS_CONFORMANCE_EXCCHECK_H
#define EXOS_CONFORMANCE_EXCCHECK_H

#include <stdint.h>

/* exctest.S: returns to r31 when jumped to. */
extern const uint32_t exc_sled[];

/*
 * Prints "<name>: <Exc> vec=... epc=<insn|address> bd=<0|1>" for the
 * exception taken since exc_count was `before`, with BadVAddr relative to
 * base when base is nonzero and the exception sets BadVAddr (address error,
 * TLB), or "<name>: no exception". `insn` is the address EPC should hold.
 * Clears exc_resume.
 */
void exc_show(const char *name, uint32_t before, uint32_t insn,
	      uint32_t base);

/*
 * Jumps with jalr to target. If the fetch there faults, EPC and BadVAddr
 * should be target and the handler resumes after the jump; if it does not,
 * the code at target must return to r31 (exc_sled does). Reports with
 * exc_show(name, ..., target, base).
 */
void exc_jump(const char *name, uint32_t target, uint32_t base);

#endif
