/*
 * cpumix.c: a second CPU-bound, deterministic MIPS I benchmark, of the
 * code cpubench.c has little of: calls and returns (a recursive function,
 * calls through a table of function pointers), division by a register
 * (which gcc guards with a break: divide by zero traps on no MIPS I
 * chip), a switch compiled to a jump table (a small bytecode machine),
 * 64-bit arithmetic, byte and halfword strings, unaligned words (a packed
 * struct: lwl/lwr, swl/swr) and pointer chasing through a linked list.
 * Short basic blocks and indirect jumps are where a block translator
 * spends the most per instruction, so this is the harder benchmark of the
 * two. Each kernel prints a checksum over all rounds, then the total;
 * then the PROM halt stops the machine. CPUMIX_ROUNDS is set by
 * scripts/build-guest.mjs: 20 for cpumix, 1 for cpumix-small.
 */
#include "rt.h"

#ifndef CPUMIX_ROUNDS
#define CPUMIX_ROUNDS 1
#endif

typedef unsigned long long u64;

static uint32_t seed = 12345;

/* The C library's classic LCG; returns 31 bits. */
static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 1;
}

/* Calls and returns: the naive recursion. */
static int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Unsigned division by a register: Euclid. */
static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Signed division and remainder by a register (gcc also guards INT_MIN / -1). */
static int32_t signed_divisions(int n)
{
	int32_t s = 0;
	int i;

	for (i = 1; i < n; i++) {
		int32_t a = (int32_t)rnd() - 0x20000000;
		int32_t b = (int32_t)(rnd() % 1000) - 500;

		if (b == 0)
			b = 7;
		s += a / b + a % b;
	}
	return s;
}

/* A stack machine whose dispatch gcc compiles to a jump table. */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_XOR, OP_SHL, OP_POP, OP_HALT };

static uint32_t vm(const uint8_t *code, uint32_t x)
{
	uint32_t st[16];
	int sp = 0, pc = 0;

	st[sp++] = x;
	for (;;) {
		switch (code[pc++]) {
		case OP_PUSH: st[sp++] = code[pc++]; break;
		case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
		case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
		case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
		case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
		case OP_SWAP: { uint32_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break; }
		case OP_JNZ: { int t = (int8_t)code[pc++]; if (st[sp - 1]) pc += t; break; }
		case OP_DEC: st[sp - 1]--; break;
		case OP_XOR: sp--; st[sp - 1] ^= st[sp]; break;
		case OP_SHL: st[sp - 1] <<= 1; break;
		case OP_POP: sp--; break;
		case OP_HALT: return st[sp - 1] ^ st[0];
		default: return 0xdead;
		}
	}
}

/* 200 turns of x = ((x * 3 + 7) << 1) ^ 5 on the machine above. */
static const uint8_t program[] = {
	OP_PUSH, 0, OP_PUSH, 200,
	OP_SWAP, OP_PUSH, 3, OP_MUL, OP_PUSH, 7, OP_ADD, OP_SHL, OP_PUSH, 5, OP_XOR,
	OP_SWAP, OP_DEC, OP_JNZ, (uint8_t)-15, OP_POP, OP_HALT,
};

/* Calls through a table of function pointers. */
typedef uint32_t (*step_fn)(uint32_t);
static uint32_t step1(uint32_t x) { return x * 3 + 1; }
static uint32_t step2(uint32_t x) { return x >> 1; }
static uint32_t step3(uint32_t x) { return x ^ 0x5a5a5a5a; }
static uint32_t step4(uint32_t x) { return (x << 7) | (x >> 25); }
static step_fn steps[4] = { step1, step2, step3, step4 };

/* 64-bit multiply and shift (multu, mfhi, carries through sltu). */
static u64 mix64(u64 h, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		h = h * 6364136223846793005ull + 1442695040888963407ull;
		h ^= h >> 29;
	}
	return h;
}

/* Bytes: fill, reverse in place and hash a string, eight times. */
static char text[4096];
static uint32_t strings(void)
{
	uint32_t h = 0;
	const char *p;
	int i, j, r;

	for (i = 0; i < 4095; i++)
		text[i] = 'a' + (rnd() % 26);
	text[4095] = 0;
	for (r = 0; r < 8; r++) {
		for (i = 0, j = 4094; i < j; i++, j--) {
			char t = text[i];
			text[i] = text[j];
			text[j] = t;
		}
		for (p = text; *p; p++)
			h = h * 31 + (signed char)*p;
	}
	return h;
}

/* Signed halfwords: a running sum, sixteen times. */
static int16_t halves[2048];
static int32_t halfwords(void)
{
	int32_t s = 0;
	int i, r;

	for (i = 0; i < 2048; i++)
		halves[i] = (int16_t)(rnd() & 0xffff);
	for (r = 0; r < 16; r++)
		for (i = 1; i < 2048; i++) {
			halves[i] = (int16_t)(halves[i] + halves[i - 1] * 3);
			s += halves[i];
		}
	return s;
}

/* Unaligned words: a packed record read and written at every third byte. */
struct __attribute__((packed)) record { uint8_t tag; uint32_t a; uint16_t b; uint32_t c; };
static uint8_t raw[8192 + 16];
static uint32_t unaligned(void)
{
	uint32_t s = 0;
	int i, r, off;

	for (i = 0; i < 8192 + 16; i++)
		raw[i] = rnd();
	for (r = 0; r < 4; r++)
		for (off = 0; off + (int)sizeof(struct record) < 8192; off += 3) {
			struct record *p = (struct record *)(raw + off);

			s += p->a ^ p->b ^ p->c;
			p->c = s;
			p->a += r;
		}
	return s;
}

/* Pointer chasing: 200,000 steps round a list of 4,096 nodes in a scrambled order. */
struct node { struct node *next; uint32_t v; };
static struct node nodes[4096];
static uint32_t list_walk(void)
{
	struct node *p = &nodes[0];
	uint32_t s = 0;
	int i;

	for (i = 0; i < 4096; i++) {
		nodes[i].v = rnd();
		nodes[i].next = &nodes[(i * 2777 + 1) % 4096];
	}
	for (i = 0; i < 200000; i++) {
		s += p->v;
		p = p->next;
	}
	return s;
}

int main(void)
{
	uint32_t sum[10] = { 0 }, total = 0, f = 0;
	u64 h = 0;
	int r, i;

	printf("cpumix: %d rounds\n", CPUMIX_ROUNDS);
	for (r = 0; r < CPUMIX_ROUNDS; r++) {
		sum[0] += fib(22 + (r & 1)) + fib(20);
		for (i = 0; i < 20000; i++)
			sum[1] += gcd(rnd() | 1, rnd() | 1);
		sum[2] += signed_divisions(20000);
		for (i = 0; i < 300; i++)
			sum[3] += vm(program, i + r);
		for (i = 0; i < 200000; i++)
			f = steps[(f ^ i) & 3](f + i);
		sum[4] += f;
		h = mix64(h + r + 1, 100000);
		sum[5] += (uint32_t)h ^ (uint32_t)(h >> 32);
		sum[6] += strings();
		sum[7] += halfwords();
		sum[8] += unaligned();
		sum[9] += list_walk();
	}
	printf("fib: %08x\n", sum[0]);
	printf("gcd: %08x\n", sum[1]);
	printf("div: %08x\n", sum[2]);
	printf("switch: %08x\n", sum[3]);
	printf("calls: %08x\n", sum[4]);
	printf("mix64: %08x\n", sum[5]);
	printf("strings: %08x\n", sum[6]);
	printf("halfwords: %08x\n", sum[7]);
	printf("unaligned: %08x\n", sum[8]);
	printf("list: %08x\n", sum[9]);
	for (i = 0; i < 10; i++)
		total += sum[i];
	printf("total: %08x\n", total);
	printf("cpumix done\n");
	return 0;
}
