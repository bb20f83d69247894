/*
 * report.c: main() for the conformance programs written in assembler.
 *
 * The .S file defines run_tests(), which reports each check with
 * report(name, value), and test_name, printed in the closing line.
 */
#include "test.h"

extern const char test_name[];
void run_tests(void);

/* Prints one check as "<name>: <value in hex>". */
void report(const char *name, uint32_t value)
{
	printf("%s: %08x\n", name, value);
}

int main(void)
{
	run_tests();
	printf("%s done\n", test_name);
	return 0;
}
