/*
 * upcall.S: the entries of the upcalls the kernel dispatches like
 * exceptions (abi.ts: Revoke, Repossess): the exception trampoline
 * (trampoline.h) calling the C half in revoke.c with the save area, the
 * trapframe and the upcall's a0 and a1. They share the exception stack
 * with exos_upcall: busy keeps them from nesting.
 */
#include "exos.h"
#include "trampoline.h"

	.set	noreorder
	.set	noat

	.text
	TRAMPOLINE exos_revoke_entry, exos_revoke_upcall, 1
	TRAMPOLINE exos_repossess_entry, exos_repossess_upcall, 1
