/* bench/exec-raw CMD [ARG...]: execs CMD with no C library at all (x86_64
 * only). Against bench/exec-wrapper it shows what a C library's start-up
 * costs a wrapper, apart from the execve itself. */
#if defined(__x86_64__)
__attribute__((naked, noreturn)) void _start(void)
{
	__asm__ volatile("mov (%rsp), %rdi\n\t"         /* argc */
			 "lea 8(%rsp), %rsi\n\t"        /* argv */
			 "lea 8(%rsi,%rdi,8), %rdx\n\t" /* envp: after argv's NULL */
			 "mov 8(%rsi), %rdi\n\t"        /* path: argv[1] */
			 "add $8, %rsi\n\t"             /* argv + 1 */
			 "mov $59, %eax\n\t"            /* execve */
			 "syscall\n\t"
			 "mov $127, %edi\n\t"
			 "mov $60, %eax\n\t" /* exit */
			 "syscall");
}
#else
int main(void)
{
	return 127; /* the bench skips this row elsewhere */
}
#endif
