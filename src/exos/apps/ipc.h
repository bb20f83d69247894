/*
 * ipc.h: what the IPC programs (ipc-pipe.c, and bench.h's ExOS glue) share: parsing a
 * capability key, setting up one frame shared read-write between a server
 * and a client by capability (as share.c does), and waiting for the peer.
 *
 * The server allocates <frame> with its own key, maps it writable, zeroes
 * it and grants READ|WRITE to <keyhex>; the client maps it writable with
 * that key, yielding until the grant is there. At the end the client sets
 * `done` in the frame and yields to the server, which exits (freeing the
 * frame) only once it has seen it; the client never touches the frame
 * after setting `done`.
 */
#ifndef IPC_H
#define IPC_H

#include "exos.h"
#include "shmring.h"

#define IPC_VA		0x30400000u	/* where both map the shared frame (clear of the packet rings) */
#define IPC_TRIES	100000		/* yields before giving up on the peer */

/* The server's half of the setup: returns the frame mapped at IPC_VA, zeroed, or 0. */
static inline void *ipc_server_frame(uint32_t frame, const struct exos_key *key)
{
	int r;

	r = sys_frame_alloc((int)frame, exos_key.lo, exos_key.hi);
	if (r < 0) {
		printf("server: frame_alloc(%u): %s\n", frame, exos_errname(r));
		return 0;
	}
	r = vm_map(IPC_VA, frame << 12 | ENTRYLO_D | ENTRYLO_V, 0);
	if (r < 0) {
		printf("server: map frame %u: %s\n", frame, exos_errname(r));
		return 0;
	}
	memset((void *)IPC_VA, 0, PAGE_SIZE);
	r = sys_frame_grant(frame, RIGHTS_ReadWrite, key->lo, key->hi);
	if (r < 0) {
		printf("server: grant frame %u: %s\n", frame, exos_errname(r));
		return 0;
	}
	return (void *)IPC_VA;
}

/* The client's half: maps the frame writable with the granted key, yielding until it can; or 0. */
static inline void *ipc_client_frame(uint32_t frame, const struct exos_key *key)
{
	uint32_t t;
	int r = E_Cap;

	for (t = 0; t < IPC_TRIES && r < 0; t++) {
		r = vm_map(IPC_VA, frame << 12 | ENTRYLO_D | ENTRYLO_V, key);
		if (r < 0)
			sys_yield();
	}
	if (r < 0) {
		printf("client: map frame %u with the granted key: %s\n", frame, exos_errname(r));
		return 0;
	}
	return (void *)IPC_VA;
}

#endif
