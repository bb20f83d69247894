/*
 * exccheck.c: reporting helpers shared by the exception conformance
 * programs (see exccheck.h).
 */
#include "exccheck.h"
#include "exc.h"
#include "mips.h"
#include "test.h"

/* One line per check; see exccheck.h. */
void exc_show(const char *name, uint32_t before, uint32_t insn,
	      uint32_t base)
{
	char line[200];
	uint32_t c = exc_last.cause;
	int n;

	exc_resume = 0;
	if (exc_count == before) {
		printf("%s: no exception\n", name);
		return;
	}
	n = snprintf(line, sizeof line, "%s: %s vec=%03x", name,
		     exc_name(cause_exc(c)), exc_last.vector);
	if (exc_last.epc == insn)
		n += snprintf(line + n, sizeof line - n, " epc=insn");
	else
		n += snprintf(line + n, sizeof line - n, " epc=%08x",
			      exc_last.epc);
	n += snprintf(line + n, sizeof line - n, " bd=%u", c >> 31);
	if (base && cause_exc(c) >= EXC_MOD && cause_exc(c) <= EXC_ADES)
		n += snprintf(line + n, sizeof line - n, " badvaddr=base+%d",
			      (int)(exc_last.badvaddr - base));
	if (exc_count - before != 1)
		n += snprintf(line + n, sizeof line - n, " count=%u",
			      exc_count - before);
	printf("%s\n", line);
}

/* exc_resume is set to the instruction after the jalr's delay slot. */
void exc_jump(const char *name, uint32_t target, uint32_t base)
{
	uint32_t n = exc_count, back;

	__asm__ volatile(ASM_BEGIN "la %0, 1f\n\tsw %0, 0(%2)\n\t"
			 "jalr %1\n\tnop\n1:" ASM_END
			 : "=&r"(back) : "r"(target), "r"(&exc_resume)
			 : "memory", "$31");
	exc_show(name, n, target, base);
}

