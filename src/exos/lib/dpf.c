/*
 * dpf.c: building DPF filters (abi.ts: DpfAtom, DpfKind, DpfInsert).
 * A filter is a conjunction of atoms, each comparing a masked big-endian
 * field with a constant; a shift atom moves the base forward over a
 * variable-length header (Engler and Kaashoek, DPF, SIGCOMM 1996). The
 * kernel merges every environment's filters into one trie, so the order
 * matters for sharing: the helpers always emit the Ethernet type first,
 * then IP fields, then the shift and the transport fields.
 */
#include "net.h"

_Static_assert(sizeof(struct dpf_atom) == DPF_ATOM_SIZE, "DPF atom size");

/* The atoms as the kernel reads them: in .bss, which is guaranteed. */
static struct dpf_atom insert_buf[DPF_FILTER_ATOMS];

void dpf_init(struct dpf_filter *f)
{
	f->n = 0;
	f->err = 0;
	f->shifted = 0;
}

/* Appends one atom, or records why it cannot. */
static void atom(struct dpf_filter *f, uint32_t kind, uint32_t offset, uint32_t width,
		 uint32_t mask, uint32_t arg)
{
	struct dpf_atom *a;

	if (f->err)
		return;
	if (f->n == DPF_FILTER_ATOMS || (width != 1 && width != 2 && width != 4) ||
	    offset > 0xffff) {
		f->err = E_Inval;
		return;
	}
	if (width < 4)
		mask &= (1u << (8 * width)) - 1;
	a = &f->atom[f->n++];
	a->op = kind | width << DPF_ATOM_WIDTH_SHIFT | offset << DPF_ATOM_OFFSET_SHIFT;
	a->mask = mask;
	a->arg = kind == DPF_KIND_Compare ? arg & mask : arg;
	a->zero = 0;
}

void dpf_cmp(struct dpf_filter *f, uint32_t offset, uint32_t width, uint32_t mask, uint32_t value)
{
	atom(f, DPF_KIND_Compare, offset, width, mask, value);
}

void dpf_shift(struct dpf_filter *f, uint32_t offset, uint32_t width, uint32_t mask, uint32_t shift)
{
	if (shift > 31 && !f->err)
		f->err = E_Inval;
	atom(f, DPF_KIND_Shift, offset, width, mask, shift);
	f->shifted = 1;
}

/* The helpers below name offsets from the frame's start: refused after a shift. */
static int absolute(struct dpf_filter *f)
{
	if (f->shifted && !f->err)
		f->err = E_Inval;
	return !f->err;
}

void dpf_eth_type(struct dpf_filter *f, uint32_t type)
{
	if (absolute(f))
		dpf_cmp(f, ETH_TYPE, 2, 0xffff, type);
}

void dpf_ip_proto(struct dpf_filter *f, uint32_t proto)
{
	if (!absolute(f))
		return;
	dpf_cmp(f, ETH_HLEN + IP_VHL, 1, 0xf0, 0x40);
	dpf_cmp(f, ETH_HLEN + IP_PROTO, 1, 0xff, proto);
	dpf_cmp(f, ETH_HLEN + IP_FRAG, 2, IP_FRAG_MORE_OFF, 0);
}

void dpf_ip_dst(struct dpf_filter *f, uint32_t ip)
{
	if (absolute(f))
		dpf_cmp(f, ETH_HLEN + IP_DST, 4, 0xffffffffu, ip);
}

/*
 * The base moves by (VHL & 0x0f) << 2 = the IP header's length; the UDP
 * header then starts ETH_HLEN bytes past the new base.
 */
void dpf_udp_dport(struct dpf_filter *f, uint32_t port)
{
	if (!absolute(f))
		return;
	dpf_shift(f, ETH_HLEN + IP_VHL, 1, 0x0f, 2);
	dpf_cmp(f, ETH_HLEN + UDP_DPORT, 2, 0xffff, port);
}

void dpf_arp_target(struct dpf_filter *f, uint32_t ip)
{
	dpf_eth_type(f, ETH_TYPE_ARP);
	if (absolute(f))
		dpf_cmp(f, ETH_HLEN + ARP_TPA, 4, 0xffffffffu, ip);
}

int dpf_insert(const struct dpf_filter *f, int ring, net_ash_t *ash)
{
	if (f->err)
		return f->err;
	if (f->n == 0)
		return E_Inval;
	memcpy(insert_buf, f->atom, f->n * sizeof(struct dpf_atom));
	return sys_dpf_insert(insert_buf, f->n, (uint32_t)ring, (uint32_t)ash);
}

int dpf_remove(int filter)
{
	return sys_dpf_remove((uint32_t)filter);
}
