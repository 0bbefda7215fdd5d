/* groups: named sets of syscalls for writing profiles (seccomp-shim new),
 * as systemd users know them from SystemCallFilter= (systemd.exec(5),
 * systemd-analyze syscall-filter).
 *
 * Data only: names, for every architecture the shim serves (i386 and
 * ARM spellings such as _llseek, mmap2 or arm_fadvise64_64 included), so
 * one table serves every architecture; whoever writes a profile keeps
 * the names that exist on the architectures it is for. A member that
 * starts with '@' is another group. Groups are never read from a profile:
 * a profile holds syscall names only, which is all runc and Docker read.
 * The members are listed in seccomp-shim-profile(5); a test holds the
 * page to this table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Groups nest once (@system-service, @privileged); this bounds a mistake. */
#define GROUP_MAX_DEPTH 4

static const struct shim_group groups[] = {
	{ "@aio", "asynchronous I/O: POSIX AIO and io_uring",
	  "io_cancel io_destroy io_getevents io_pgetevents "
	  "io_pgetevents_time64 io_setup io_submit io_uring_enter "
	  "io_uring_register io_uring_setup" },
	{ "@basic-io", "reading, writing and closing file descriptors",
	  "_llseek close close_range dup dup2 dup3 lseek pread64 preadv "
	  "preadv2 pwrite64 pwritev pwritev2 read readv write writev" },
	{ "@chown", "changing the owner of files",
	  "chown chown32 fchown fchown32 fchownat lchown lchown32" },
	{ "@clock", "setting the system clock",
	  "adjtimex clock_adjtime clock_adjtime64 clock_settime "
	  "clock_settime64 settimeofday" },
	{ "@cpu-emulation", "CPU emulation: vm86, LDT changes, endianness switches",
	  "modify_ldt subpage_prot switch_endian vm86 vm86old" },
	{ "@debug", "debugging, tracing and performance monitoring",
	  "lookup_dcookie perf_event_open pidfd_getfd ptrace rtas "
	  "s390_runtime_instr sys_debug_setcontext" },
	{ "@default", "what every program needs to start and end; always part of an allow-list that new writes",
	  "arch_prctl brk cacheflush clock_getres clock_getres_time64 "
	  "clock_gettime clock_gettime64 clock_nanosleep "
	  "clock_nanosleep_time64 execve exit exit_group futex futex_time64 "
	  "futex_waitv get_robust_list get_thread_area getegid getegid32 "
	  "geteuid geteuid32 getgid getgid32 getgroups getgroups32 getpgid "
	  "getpgrp getpid getppid getrandom getresgid getresgid32 getresuid "
	  "getresuid32 getrlimit getsid gettid gettimeofday getuid getuid32 "
	  "membarrier mmap mmap2 mprotect munmap nanosleep pause prlimit64 "
	  "restart_syscall riscv_flush_icache riscv_hwprobe rseq "
	  "rt_sigreturn sched_getaffinity sched_yield set_robust_list "
	  "set_thread_area set_tid_address set_tls sigreturn time "
	  "ugetrlimit uretprobe" },
	{ "@file-system", "opening, examining and changing files and directories",
	  "access chdir chmod close creat faccessat faccessat2 fallocate "
	  "fchdir fchmod fchmodat fchmodat2 fcntl fcntl64 fgetxattr "
	  "flistxattr fremovexattr fsetxattr fstat fstat64 fstatat64 "
	  "fstatfs fstatfs64 ftruncate ftruncate64 futimesat getcwd "
	  "getdents getdents64 getxattr inotify_add_watch inotify_init "
	  "inotify_init1 inotify_rm_watch lgetxattr link linkat listxattr "
	  "llistxattr lremovexattr lsetxattr lstat lstat64 mkdir mkdirat "
	  "mknod mknodat newfstatat oldfstat oldlstat oldstat open openat "
	  "openat2 readlink readlinkat removexattr rename renameat "
	  "renameat2 rmdir setxattr stat stat64 statfs statfs64 statx "
	  "symlink symlinkat truncate truncate64 unlink unlinkat utime "
	  "utimensat utimensat_time64 utimes" },
	{ "@io-event", "event loops: poll, select, epoll, eventfd",
	  "_newselect epoll_create epoll_create1 epoll_ctl epoll_ctl_old "
	  "epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd "
	  "eventfd2 poll ppoll ppoll_time64 pselect6 pselect6_time64 select" },
	{ "@ipc", "pipes, SysV IPC, POSIX message queues, memfd, cross-process memory access",
	  "ipc memfd_create mq_getsetattr mq_notify mq_open mq_timedreceive "
	  "mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 "
	  "mq_unlink msgctl msgget msgrcv msgsnd pipe pipe2 process_madvise "
	  "process_vm_readv process_vm_writev semctl semget semop "
	  "semtimedop semtimedop_time64 shmat shmctl shmdt shmget" },
	{ "@keyring", "the kernel keyring",
	  "add_key keyctl request_key" },
	{ "@memlock", "locking memory into RAM",
	  "mlock mlock2 mlockall munlock munlockall" },
	{ "@module", "loading and unloading kernel modules",
	  "delete_module finit_module init_module" },
	{ "@mount", "mounting and unmounting file systems, chroot, pivot_root",
	  "chroot fsconfig fsmount fsopen fspick mount mount_setattr "
	  "move_mount open_tree pivot_root umount umount2" },
	{ "@network-io", "sockets: network and Unix",
	  "accept accept4 bind connect getpeername getsockname getsockopt "
	  "listen recv recvfrom recvmmsg recvmmsg_time64 recvmsg send "
	  "sendmmsg sendmsg sendto setsockopt shutdown socket socketcall "
	  "socketpair" },
	{ "@obsolete", "obsolete, unusual or unimplemented calls",
	  "_sysctl afs_syscall bdflush break create_module ftime "
	  "get_kernel_syms getpmsg gtty idle lock mpx prof profil putpmsg "
	  "query_module security sgetmask ssetmask stime stty sysfs tuxcall "
	  "ulimit uselib ustat vserver" },
	{ "@pkey", "memory protection keys",
	  "pkey_alloc pkey_free pkey_mprotect" },
	{ "@privileged", "calls that need a capability (includes @chown, @clock, @module, @raw-io, @reboot, @swap)",
	  "@chown @clock @module @raw-io @reboot @swap _sysctl acct bpf "
	  "capset chroot fanotify_init fanotify_mark nfsservctl "
	  "open_by_handle_at pivot_root quotactl quotactl_fd setdomainname "
	  "setfsuid setfsuid32 setgroups setgroups32 sethostname setresuid "
	  "setresuid32 setreuid setreuid32 setuid setuid32 vhangup" },
	{ "@process", "process and thread control, execution, namespaces",
	  "capget clone clone3 execveat fork getrusage kill pidfd_open "
	  "pidfd_send_signal prctl rt_sigqueueinfo rt_tgsigqueueinfo setns "
	  "swapcontext tgkill times tkill unshare vfork wait4 waitid "
	  "waitpid" },
	{ "@raw-io", "raw I/O port and PCI configuration access",
	  "ioperm iopl pciconfig_iobase pciconfig_read pciconfig_write "
	  "s390_pci_mmio_read s390_pci_mmio_write" },
	{ "@reboot", "rebooting and kexec",
	  "kexec_file_load kexec_load reboot" },
	{ "@resources", "changing resource limits, priorities, CPU and NUMA placement",
	  "ioprio_set mbind migrate_pages move_pages nice sched_setaffinity "
	  "sched_setattr sched_setparam sched_setscheduler set_mempolicy "
	  "set_mempolicy_home_node setpriority setrlimit" },
	{ "@sandbox", "sandboxing a process further: landlock, seccomp",
	  "landlock_add_rule landlock_create_ruleset landlock_restrict_self "
	  "seccomp" },
	{ "@setuid", "changing user and group ids",
	  "setgid setgid32 setgroups setgroups32 setregid setregid32 "
	  "setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 "
	  "setuid setuid32" },
	{ "@signal", "signal handling",
	  "rt_sigaction rt_sigpending rt_sigprocmask rt_sigsuspend "
	  "rt_sigtimedwait rt_sigtimedwait_time64 sigaction sigaltstack "
	  "signal signalfd signalfd4 sigpending sigprocmask sigsuspend" },
	{ "@swap", "enabling and disabling swap",
	  "swapoff swapon" },
	{ "@sync", "flushing files and memory to storage",
	  "fdatasync fsync msync sync sync_file_range sync_file_range2 "
	  "syncfs" },
	{ "@system-service", "what a typical system service needs (includes @aio, @basic-io, @chown, @default, @file-system, @io-event, @ipc, @keyring, @memlock, @network-io, @process, @resources, @setuid, @signal, @sync, @timer)",
	  "@aio @basic-io @chown @default @file-system @io-event @ipc "
	  "@keyring @memlock @network-io @process @resources @setuid "
	  "@signal @sync @timer arm_fadvise64_64 capget capset "
	  "copy_file_range fadvise64 fadvise64_64 flock get_mempolicy "
	  "getcpu getpriority ioctl ioprio_get kcmp madvise mremap "
	  "name_to_handle_at oldolduname olduname personality readahead "
	  "readdir remap_file_pages sched_get_priority_max "
	  "sched_get_priority_min sched_getattr sched_getparam "
	  "sched_getscheduler sched_rr_get_interval "
	  "sched_rr_get_interval_time64 sched_yield sendfile sendfile64 "
	  "setfsgid setfsgid32 setfsuid setfsuid32 setpgid setsid splice "
	  "sysinfo tee umask uname userfaultfd vmsplice" },
	{ "@timer", "timers and alarms",
	  "alarm getitimer setitimer timer_create timer_delete "
	  "timer_getoverrun timer_gettime timer_gettime64 timer_settime "
	  "timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 "
	  "timerfd_settime timerfd_settime64 times" },
};

const struct shim_group *shim_groups(size_t *n)
{
	*n = ARRAY_SIZE(groups);
	return groups;
}

const struct shim_group *shim_group_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (strcmp(name, groups[i].name) == 0)
			return &groups[i];
	return NULL;
}

static int add_name(char ***names, size_t *n, const char *name, size_t len,
		    struct shim_error *err)
{
	char **grown = realloc(*names, (*n + 1) * sizeof(**names));

	if (grown)
		*names = grown;
	if (!grown || !(grown[*n] = strndup(name, len))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	(*n)++;
	return 0;
}

static int expand(const struct shim_group *g, int depth, char ***names, size_t *n,
		  struct shim_error *err)
{
	for (const char *p = g->members; *p;) {
		size_t len = strcspn(p, " ");

		if (p[0] == '@') {
			char sub[64];
			const struct shim_group *s = NULL;

			if (len < sizeof(sub)) {
				memcpy(sub, p, len);
				sub[len] = '\0';
				s = shim_group_find(sub);
			}
			if (!s || depth >= GROUP_MAX_DEPTH) {
				shim_error_set(err, EINVAL, "internal: group %s names %.*s, which is not a group",
					       g->name, (int)len, p);
				return -1;
			}
			if (expand(s, depth + 1, names, n, err) < 0)
				return -1;
		} else if (len && add_name(names, n, p, len, err) < 0) {
			return -1;
		}
		p += len;
		p += strspn(p, " ");
	}
	return 0;
}

int shim_group_expand(const char *spec, char ***names, size_t *n, struct shim_error *err)
{
	const struct shim_group *g;

	if (spec[0] != '@')
		return add_name(names, n, spec, strlen(spec), err);
	g = shim_group_find(spec);
	if (!g) {
		shim_error_set(err, ENOENT, "unknown syscall group \"%s\" (seccomp-shim new --list shows the groups)",
			       spec);
		return -1;
	}
	return expand(g, 0, names, n, err);
}
