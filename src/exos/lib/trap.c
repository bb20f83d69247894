/*
 * trap.c: the C half of exception handling: one handler per exception
 * code, called by the trampoline in trap.S with the save area and the
 * saved registers. The environment is brought up in env.c.
 */
#include "exos.h"

#define FIELD_AT(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field)

FIELD_AT(struct exos_save, epc, SAVE_EPC);
FIELD_AT(struct exos_save, cause, SAVE_Cause);
FIELD_AT(struct exos_save, badvaddr, SAVE_BadVAddr);
FIELD_AT(struct exos_save, at, SAVE_AT);
FIELD_AT(struct exos_save, a0, SAVE_A0);
FIELD_AT(struct exos_save, a1, SAVE_A1);
FIELD_AT(struct exos_save, busy, SAVE_Busy);
_Static_assert(sizeof(struct exos_save) == SAVE_SIZE, "save area size");
FIELD_AT(struct exos_trapframe, v0, TF_V0);
FIELD_AT(struct exos_trapframe, v1, TF_V1);
FIELD_AT(struct exos_trapframe, a2, TF_A2);
FIELD_AT(struct exos_trapframe, a3, TF_A3);
FIELD_AT(struct exos_trapframe, t0, TF_T0);
FIELD_AT(struct exos_trapframe, t9, TF_T0 + 36);
FIELD_AT(struct exos_trapframe, ra, TF_RA);
FIELD_AT(struct exos_trapframe, hi, TF_HI);
FIELD_AT(struct exos_trapframe, lo, TF_LO);
FIELD_AT(struct exos_trapframe, sp, TF_SP);
FIELD_AT(struct exos_trapframe, save, TF_SAVE);
_Static_assert(sizeof(struct exos_trapframe) == TF_SIZE, "trapframe size");

static exos_handler_t *handlers[EXC_COUNT];

static const char *const exc_names[EXC_COUNT] = { AEGIS_EXC_NAMES };

const char *exos_excname(uint32_t code)
{
	return code < EXC_COUNT ? exc_names[code] : "?";
}

const char *exos_errname(int err)
{
	switch (err) {
#define ERRNAME(name, code) case code: return "E_" #name;
	AEGIS_ERRORS(ERRNAME)
#undef ERRNAME
	}
	return err >= 0 ? "ok" : "E_?";
}

/* Prints what went wrong where, and ends the program. Never returns. */
void exos_fatal(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t code = EXC_CODE(s->cause);

	(void)tf;
	printf("exos: fatal %s (ExcCode %u) at epc 0x%08x", exos_excname(code), code, s->epc);
	if (code == EXC_Mod || code == EXC_TLBL || code == EXC_TLBS ||
	    code == EXC_AdEL || code == EXC_AdES)
		printf(", badvaddr 0x%08x", s->badvaddr);
	printf("%s\n", (s->cause & CAUSE_BD) ? ", in a branch delay slot" : "");
	exit(EXIT_FAULT(code));
}

/* Called by exos_upcall (trap.S) on the exception stack, busy set. */
void exos_trap(struct exos_save *s, struct exos_trapframe *tf)
{
	uint32_t code = EXC_CODE(s->cause);
	exos_handler_t *h = code < EXC_COUNT ? handlers[code] : 0;

	(h ? h : exos_fatal)(s, tf);
}

exos_handler_t *exos_set_handler(uint32_t code, exos_handler_t *h)
{
	exos_handler_t *old;

	if (code == EXC_Int || code == EXC_Sys || code >= EXC_COUNT)
		return 0;
	old = handlers[code];
	handlers[code] = h ? h : exos_fatal;
	return old;
}
