/* bench/exec-wrapper CMD [ARG...]: a static program that only execs CMD.
 * Its cost over running CMD directly is the floor for any tool that sits
 * in front of a command and execs it, the shim included. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
