/*
 * usermode.c: what user mode may not do on the R3000A.
 *
 * The snippets of exctest.S run at USER_VA, mapped through the TLB, in user
 * mode (KUc = 1), entered with `jr; rfe` from Status with KUp set. Covers
 * the KU/IE stack on entry and on the way back, syscall and break from user
 * mode, COP0 instructions with CU0 clear (CpU, CE = 0) and allowed with
 * CU0 set, COP1 with CU1 clear (CE = 1), loads, stores and jumps to kseg0,
 * kseg1 and kseg2 (address errors with BadVAddr: R3000 manual ch. 5,
 * "Address error exception"), a misaligned jump, a jump to an unmapped
 * kuseg page (UTLB refill vector), and a mapped user data page.
 */
#include "exc.h"
#include "mips.h"
#include "test.h"
#include "tlbutil.h"

#define USER_VA		0x00400000u
#define USER_DATA_VA	0x00401000u
#define UNMAPPED_VA	0x00800000u

/* exctest.S */
extern const uint8_t user_page[];
extern const uint32_t u_syscall[], u_break[], u_mfc0[], u_mtc0[], u_rfe[],
	u_tlbp[], u_load[], u_store[], u_jump[], u_mfc1[], u_status[];

static uint32_t data_page[PAGE_SIZE / 4] __attribute__((aligned(PAGE_SIZE)));
static uint32_t kword = 0x5a5a5a5a;

/* The user virtual address of a snippet in user_page. */
static uint32_t uva(const uint32_t *snippet)
{
	return USER_VA + ((const uint8_t *)snippet - user_page);
}

/*
 * Runs a snippet in user mode with Status = status and a2 = arg; prints the
 * exception: ExcCode, vector, EPC as an offset from the snippet (or "target"
 * when it equals target), Cause.CE for CpU, and BadVAddr relative to base
 * for address and TLB errors.
 */
static void user(const char *name, const uint32_t *snippet, uint32_t status,
		 uint32_t arg, uint32_t target, uint32_t base)
{
	char line[200];
	uint32_t code = exc_run_user(uva(snippet), status, arg);
	uint32_t epc = exc_last.epc;
	int n;

	n = snprintf(line, sizeof line, "%s: %s vec=%03x", name,
		     exc_name(code), exc_last.vector);
	if (target && epc == target)
		n += snprintf(line + n, sizeof line - n, " epc=target");
	else
		n += snprintf(line + n, sizeof line - n, " epc=+%d",
			      (int)(epc - uva(snippet)));
	if (code == EXC_CPU)
		n += snprintf(line + n, sizeof line - n, " ce=%u",
			      (exc_last.cause & CAUSE_CE_MASK) >> 28);
	if (code >= EXC_MOD && code <= EXC_ADES)
		n += snprintf(line + n, sizeof line - n, " badvaddr=%s%x",
			      base ? "base+" : "", exc_last.badvaddr - base);
	printf("%s\n", line);
}

static void map_user_pages(void)
{
	tlb_invalidate_all();
	tlb_write(0, USER_VA, kva_to_pa(user_page) | ENTRYLO_V | ENTRYLO_G);
	tlb_write(1, USER_DATA_VA,
		  kva_to_pa(data_page) | ENTRYLO_V | ENTRYLO_D | ENTRYLO_G);
}

static void privileged(void)
{
	user("syscall", u_syscall, 0, 0, 0, 0);
	printf("  status in handler: %02x\n", exc_last.status & ST_KUIE_MASK);
	user("break", u_break, 0, 0, 0, 0);
	user("mfc0, CU0 clear", u_mfc0, 0, 0, 0, 0);
	user("mtc0, CU0 clear", u_mtc0, 0, 0, 0, 0);
	user("rfe, CU0 clear", u_rfe, 0, 0, 0, 0);
	user("tlbp, CU0 clear", u_tlbp, 0, 0, 0, 0);
	user("mfc1, CU1 clear", u_mfc1, 0, 0, 0, 0);
	user("mfc0 Status, CU0 set", u_status, ST_CU0, 0, 0, 0);
	printf("  user-mode Status read: %08x\n",
	       exc_frame.r[2] & (ST_CU0 | ST_KUIE_MASK));
}

static void segments(void)
{
	uint32_t k0 = (uint32_t)&kword;

	user("lw from kseg0", u_load, 0, k0, 0, k0);
	user("lw from kseg1", u_load, 0, k0 | KSEG1, 0, k0 | KSEG1);
	user("lw from kseg2 c0000000", u_load, 0, KSEG2, 0, 0);
	user("lw from ffffff00", u_load, 0, 0xffffff00, 0, 0);
	user("sw to kseg0", u_store, 0, k0, 0, k0);
	printf("  kernel word: %08x\n", kword);
	user("sw to kseg1", u_store, 0, k0 | KSEG1, 0, k0 | KSEG1);
	printf("  kernel word: %08x\n", kword);
}

static void jumps(void)
{
	uint32_t k0_syscall = (uint32_t)u_syscall;

	user("jr to kseg0", u_jump, 0, k0_syscall, k0_syscall, k0_syscall);
	user("jr to misaligned kuseg", u_jump, 0, uva(u_syscall) + 2,
	     uva(u_syscall) + 2, uva(u_syscall));
	user("jr to unmapped kuseg", u_jump, 0, UNMAPPED_VA, UNMAPPED_VA, 0);
}

static void user_data(void)
{
	data_page[4] = 0x0ddba11;
	user("lw from user data page", u_load, 0, USER_DATA_VA + 16, 0, 0);
	printf("  loaded: %08x\n", exc_frame.r[8]);
	user("sw to user data page", u_store, 0, USER_DATA_VA + 16, 0, 0);
	printf("  kernel sees: %08x\n", data_page[4]);
}

int main(void)
{
	MTC0(CP0_STATUS, ST_CU0);
	exc_install();
	map_user_pages();
	privileged();
	segments();
	jumps();
	user_data();
	printf("exceptions taken: %u\n", exc_count);
	printf("usermode done\n");
	return 0;
}
