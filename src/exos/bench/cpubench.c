/*
 * cpubench.c: a CPU-bound, deterministic MIPS I benchmark.
 *
 * Five kernels, each run once per round on data that depends on the round
 * number: table-driven CRC32 over a buffer, heapsort of pseudo-random
 * words, a sieve of Eratosthenes, an integer matrix multiply (mult/mflo),
 * and word-aligned memcpy. Each prints a checksum over all rounds, then the
 * total, then the PROM halt stops the machine. CPUBENCH_ROUNDS is set by
 * scripts/build-guest.mjs: 50 for cpubench (1,064,055,504 instructions,
 * counted with GXemul's per-instruction trace `-s v:`), 1 for
 * cpubench-small (20,459,304). No division anywhere (MIPS I div is slow and
 * gcc would guard it); no 64-bit arithmetic.
 */
#include "rt.h"

#ifndef CPUBENCH_ROUNDS
#define CPUBENCH_ROUNDS 1
#endif

#define CRC_BYTES	16384
#define CRC_PASSES	32
#define SORT_WORDS	8192
#define SIEVE_BYTES	131072
#define SIEVE_PASSES	2
#define MAT_N		64
#define MAT_PASSES	3
#define COPY_BYTES	65536
#define COPY_PASSES	48

static uint8_t crc_buf[CRC_BYTES];
static uint32_t crc_table[256];
static uint32_t sort_buf[SORT_WORDS];
static uint8_t sieve[SIEVE_BYTES];
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];
static uint32_t copy_src[COPY_BYTES / 4], copy_dst[COPY_BYTES / 4];

/* The LCG of Numerical Recipes: returns the next state. */
static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state;
}

static void crc_init(void)
{
	uint32_t i, k, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC32 (IEEE 802.3) of the buffer, CRC_PASSES times, chained. */
static uint32_t bench_crc(uint32_t round)
{
	uint32_t seed = 0x1234 + round, crc = 0xffffffff, i, p;

	for (i = 0; i < CRC_BYTES; i++)
		crc_buf[i] = (uint8_t)(lcg(&seed) >> 24);
	for (p = 0; p < CRC_PASSES; p++)
		for (i = 0; i < CRC_BYTES; i++)
			crc = crc_table[(crc ^ crc_buf[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Moves a[root] down the max-heap a[0..end]. */
static void sift_down(uint32_t *a, uint32_t root, uint32_t end)
{
	uint32_t child, t;

	while ((child = 2 * root + 1) <= end) {
		if (child < end && a[child] < a[child + 1])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Heapsorts pseudo-random words; returns a position-weighted sum. */
static uint32_t bench_sort(uint32_t round)
{
	uint32_t seed = 0xbeef + round, i, t, sum = 0;

	for (i = 0; i < SORT_WORDS; i++)
		sort_buf[i] = lcg(&seed);
	for (i = SORT_WORDS / 2; i-- > 0;)
		sift_down(sort_buf, i, SORT_WORDS - 1);
	for (i = SORT_WORDS - 1; i > 0; i--) {
		t = sort_buf[0];
		sort_buf[0] = sort_buf[i];
		sort_buf[i] = t;
		sift_down(sort_buf, 0, i - 1);
	}
	for (i = 0; i < SORT_WORDS; i++) {
		if (i && sort_buf[i - 1] > sort_buf[i])
			return 0xbad50f7;	/* not sorted */
		sum = sum * 31 + sort_buf[i];
	}
	return sum;
}

/* Counts primes below SIEVE_BYTES + round, SIEVE_PASSES times. */
static uint32_t bench_sieve(uint32_t round)
{
	uint32_t n = SIEVE_BYTES - (round & 63), i, j, p, count = 0;

	for (p = 0; p < SIEVE_PASSES; p++) {
		memset(sieve, 1, n);
		sieve[0] = sieve[1] = 0;
		for (i = 2; i * i < n; i++)
			if (sieve[i])
				for (j = i * i; j < n; j += i)
					sieve[j] = 0;
		for (i = 0; i < n; i++)
			count += sieve[i];
	}
	return count;
}

/* C = A * B for MAT_N x MAT_N integer matrices; returns a sum over C. */
static uint32_t bench_matmul(uint32_t round)
{
	uint32_t seed = 0xface + round, sum = 0, p;
	int i, j, k;

	for (i = 0; i < MAT_N; i++)
		for (j = 0; j < MAT_N; j++) {
			mat_a[i][j] = (int32_t)(lcg(&seed) >> 20) - 2048;
			mat_b[i][j] = (int32_t)(lcg(&seed) >> 20) - 2048;
		}
	for (p = 0; p < MAT_PASSES; p++) {
		for (i = 0; i < MAT_N; i++)
			for (j = 0; j < MAT_N; j++) {
				int32_t acc = 0;
				for (k = 0; k < MAT_N; k++)
					acc += mat_a[i][k] * mat_b[k][j];
				mat_c[i][j] = acc;
			}
		for (i = 0; i < MAT_N; i++)
			for (j = 0; j < MAT_N; j++)
				sum = sum * 7 + (uint32_t)mat_c[i][j];
		mat_a[p][p] ^= 1;
	}
	return sum;
}

/* Copies a buffer back and forth; returns a checksum of the result. */
static uint32_t bench_copy(uint32_t round)
{
	uint32_t seed = 0xc0de + round, i, p, sum = 0;

	for (i = 0; i < COPY_BYTES / 4; i++)
		copy_src[i] = lcg(&seed);
	for (p = 0; p < COPY_PASSES; p++) {
		if (p & 1)
			memcpy(copy_src, copy_dst, COPY_BYTES);
		else
			memcpy(copy_dst, copy_src, COPY_BYTES);
		copy_src[p] += p;
	}
	for (i = 0; i < COPY_BYTES / 4; i += 16)
		sum = (sum << 1 | sum >> 31) ^ copy_dst[i] ^ copy_src[i + 1];
	return sum;
}

int main(void)
{
	uint32_t crc = 0, sort = 0, sieve_sum = 0, mat = 0, copy = 0, r;

	printf("cpubench: %u rounds\n", (uint32_t)CPUBENCH_ROUNDS);
	crc_init();
	for (r = 0; r < CPUBENCH_ROUNDS; r++) {
		crc ^= bench_crc(r) + r;
		sort ^= bench_sort(r) + r;
		sieve_sum += bench_sieve(r);
		mat ^= bench_matmul(r) + r;
		copy ^= bench_copy(r) + r;
	}
	printf("crc32: %08x\n", crc);
	printf("heapsort: %08x\n", sort);
	printf("sieve: %08x\n", sieve_sum);
	printf("matmul: %08x\n", mat);
	printf("memcpy: %08x\n", copy);
	printf("total: %08x\n", crc ^ sort ^ sieve_sum ^ mat ^ copy);
	printf("cpubench done\n");
	return 0;
}
