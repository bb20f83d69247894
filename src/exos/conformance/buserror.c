/*
 * buserror.c: bus errors for addresses no device claims.
 *
 * The KN02's TURBOchannel option slots 0-2 (physical 0x1e000000,
 * 0x1e400000, 0x1e800000; docs/reference/decstation.md) are empty in this
 * machine, so a read there times out on the bus: a load raises DBE
 * (ExcCode 7) with EPC at the load, an instruction fetch raises IBE
 * (ExcCode 6) with EPC at the fetched address (R3000 manual, ch. 5, "Bus
 * error exception"). BadVAddr is not loaded by bus errors, so it is not
 * printed. The jump is last: GXemul 0.7.0 stops on it.
 */
#include "exc.h"
#include "exccheck.h"
#include "mips.h"
#include "test.h"

#define TC_SLOT0_KSEG1	0xbe000000u
#define TC_SLOT1_KSEG1	0xbe400000u
#define TC_SLOT2_KSEG1	0xbe800000u

/* A word load from addr, reported with exc_show. */
static void load(const char *name, uint32_t addr)
{
	uint32_t at, n = exc_count, t = 0xdeadbeef;

	__asm__ volatile(ASM_BEGIN "la %0, 1f\n1:\tlw %1, 0(%2)\n\tnop"
			 ASM_END : "=&r"(at), "+r"(t) : "r"(addr) : "memory");
	exc_show(name, n, at, 0);
}

int main(void)
{
	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	load("lw from be000000 (slot 0)", TC_SLOT0_KSEG1);
	load("lw from be400100 (slot 1)", TC_SLOT1_KSEG1 + 0x100);
	load("lw from be800ffc (slot 2)", TC_SLOT2_KSEG1 + 0xffc);
	exc_jump("jump to be000000 (slot 0)", TC_SLOT0_KSEG1, 0);
	printf("exceptions taken: %u\n", exc_count);
	printf("buserror done\n");
	return 0;
}
