/*
 * pct.h: protected control transfer (Aegis paper, sec. 5.4; abi.ts:
 * PctSync, PctAsync, PctReply) and LRPC over it, in pct.S and pct.c.
 *
 * The server registers an entry (exos_pct_init). A call arrives there in
 * the server's own addressing context with v0 = the caller's id, v1 =
 * SYS_PctSync or SYS_PctAsync, and every other general register as the
 * caller left it: the message. sp is one of them, so the entry saves the
 * message in exos_pct_msg and moves to a stack of ExOS's own before it
 * touches memory through sp. It calls the server's handler, which may
 * change registers in the message (the answer), and answers a synchronous
 * call with pct_reply: every register as the message now says, v1 = the
 * caller. The caller thus gets its own sp, ra and callee-saved registers
 * back unless the handler changed them.
 *
 * A call replaces the server's registers with the message, so whatever
 * the server was doing when it came is gone (a server should wait for
 * calls in a loop that holds nothing, such as yielding). The kernel
 * continues the server after its pct_reply; ExOS then moves back to the
 * PCT stack and calls the program's idle function, which plays that loop.
 * One call at a time: the message buffer and the stack are not reentrant.
 *
 * The client: exos_pct_call sends two words and gets two back. It trusts
 * only v0, a0 and a1 of the reply: it keeps its own sp, ra and callee-saved
 * registers in memory across the call (one call at a time here too).
 */
#ifndef EXOS_PCT_H
#define EXOS_PCT_H

#include "exos.h"

/* Byte offsets in struct exos_pct_msg, for pct.S (pct.c checks them). */
#define MSG_R(n)	(4 * (n))
#define MSG_HI		128
#define MSG_LO		132
#define MSG_SIZE	136
#define PCT_STACK_SIZE	2048

#ifndef __ASSEMBLER__

/* The registers a call brought: r[n] = general register n (k0, k1 unused). */
struct exos_pct_msg {
	uint32_t r[32];
	uint32_t hi, lo;
};
#define PCT_CALLER(m)	((m)->r[2])		/* v0: the caller's environment id */
#define PCT_KIND(m)	((m)->r[3])		/* v1: SYS_PctSync or SYS_PctAsync */
#define PCT_ARG(m, i)	((m)->r[4 + (i)])	/* a0..a3 */

struct exos_pct_stats {
	uint32_t calls;		/* calls that arrived */
	uint32_t sync;		/* of them, synchronous (answered) */
	uint32_t async;
	uint32_t refused;	/* replies the kernel refused */
	int last_error;		/* the last refusal */
	uint32_t last_caller;
};
extern struct exos_pct_stats exos_pct_stats;

/* Handles one call: reads the message and writes the answer into it. */
typedef void exos_pct_handler_t(struct exos_pct_msg *m);

/*
 * Registers the protected entry: calls go to h; after answering, the
 * server goes on in idle(), which should not return (if it does, the
 * program exits 0). Returns 0 or the kernel's error.
 */
int exos_pct_init(exos_pct_handler_t *h, void (*idle)(void));

/*
 * A synchronous call to environment env with a0, a1: returns 0 with the
 * answer's a0 and a1 in answer[0], answer[1], or the kernel's error (no
 * such environment, no entry: E_Inval) with answer untouched.
 */
int exos_pct_call(int env, uint32_t a0, uint32_t a1, uint32_t answer[2]);

/* Between pct.S and pct.c. */
extern struct exos_pct_msg exos_pct_msg;
void exos_pct_entry(void);
int exos_pct_serve(struct exos_pct_msg *m);
void exos_pct_after(int result) __attribute__((noreturn));

#endif /* __ASSEMBLER__ */
#endif
