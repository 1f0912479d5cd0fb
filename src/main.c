/* main.c: the coprod command line; wires the floors together. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("coprod");
	return 0;
}
