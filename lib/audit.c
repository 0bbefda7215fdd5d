/* audit: the kernel's own records of the seccomp actions it takes without
 * asking anyone (KILL_PROCESS, KILL_THREAD, and TRAP under
 * SECCOMP_FILTER_FLAG_LOG), read from the audit netlink socket's
 * read-only multicast group (Linux 3.16), as journald reads them.
 *
 * Needs CAP_AUDIT_READ in the initial user namespace and the initial
 * network namespace (root on the host, not in a container). The records
 * are sent whether auditd runs or not, beside the rate-limited copy in
 * the kernel log; they carry pid, comm, exe, arch, syscall, ip and the
 * action, never the arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "internal.h"

#ifndef AUDIT_NLGRP_READLOG
#define AUDIT_NLGRP_READLOG 1
#endif

int shim_audit_open(char *why, size_t len)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
	int size = 1 << 20;

	if (fd < 0) {
		snprintf(why, len, "no audit socket (%s)", strerror(errno));
		return -1;
	}
	/* Other processes' records arrive too: room for bursts. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		snprintf(why, len, "the kernel's audit records cannot be read here (%s: they need CAP_AUDIT_READ on the host)",
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The value of key= in a record. A string (comm, exe) is "quoted", or
 * hex when it holds a space, a quote or an odd byte (audit's
 * untrustedstring); a number is a bare word. */
static bool field(const char *text, const char *key, bool string, char *out, size_t len)
{
	size_t klen = strlen(key), n = 0, w;
	const char *p = text;

	for (;;) {
		p = strstr(p, key);
		if (!p)
			return false;
		if ((p == text || p[-1] == ' ') && p[klen] == '=')
			break;
		p += klen;
	}
	p += klen + 1;
	if (string && *p == '"') {
		for (p++; *p && *p != '"' && n + 1 < len; p++)
			out[n++] = *p;
	} else {
		w = strcspn(p, " \n");
		for (size_t i = 0; i < w && n + 1 < len; i += string ? 2 : 1) {
			unsigned v;
			if (!string)
				out[n++] = p[i];
			else if (i + 1 < w && sscanf(p + i, "%2x", &v) == 1)
				out[n++] = (char)v;
		}
	}
	out[n] = '\0';
	return true;
}

int shim_audit_parse(const char *text, struct shim_audit_record *r)
{
	char v[64];

	memset(r, 0, sizeof(*r));
	if (!field(text, "pid", false, v, sizeof(v)))
		return -1;
	r->pid = atoi(v);
	if (!field(text, "arch", false, v, sizeof(v)))
		return -1;
	r->arch = (uint32_t)strtoul(v, NULL, 16);
	if (!field(text, "syscall", false, v, sizeof(v)))
		return -1;
	r->nr = atoi(v);
	if (!field(text, "code", false, v, sizeof(v)))
		return -1;
	r->code = (uint32_t)strtoul(v, NULL, 16);
	if (field(text, "sig", false, v, sizeof(v)))
		r->sig = atoi(v);
	if (field(text, "ip", false, v, sizeof(v)))
		r->ip = strtoull(v, NULL, 16);
	field(text, "comm", true, r->comm, sizeof(r->comm));
	if (field(text, "exe", true, r->exe, sizeof(r->exe)) && strcmp(r->exe, "(null)") == 0)
		r->exe[0] = '\0';
	return 0;
}

int shim_audit_read(int fd, struct shim_audit_record *r)
{
	char buf[8192 + 1];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	size_t len;

	if (n < 0)
		return errno == ENOBUFS ? 0 : -1; /* overrun: some records lost */
	if ((size_t)n < sizeof(*h) || h->nlmsg_type != AUDIT_SECCOMP)
		return 0;
	len = h->nlmsg_len <= (size_t)n ? h->nlmsg_len : (size_t)n;
	buf[len] = '\0';
	return shim_audit_parse(buf + NLMSG_HDRLEN, r) == 0 ? 1 : 0;
}

/* ---- the process connector: who forks whom ----
 *
 * Audit records name a process by pid, after it has died: its parent may
 * have reaped it already, so /proc no longer says whose it was. The
 * kernel's fork events (CAP_NET_ADMIN on the host, like the audit
 * records) say it as it happens, before the child can make any call. */

struct proc_listen {
	struct nlmsghdr nl;
	struct cn_msg cn;
	enum proc_cn_mcast_op op;
} __attribute__((packed));

static int proc_listen(int fd, enum proc_cn_mcast_op op)
{
	struct proc_listen m;

	memset(&m, 0, sizeof(m));
	m.nl.nlmsg_len = sizeof(m);
	m.nl.nlmsg_type = NLMSG_DONE;
	m.cn.id.idx = CN_IDX_PROC;
	m.cn.id.val = CN_VAL_PROC;
	m.cn.len = sizeof(m.op);
	m.op = op;
	return send(fd, &m, sizeof(m), 0) == (ssize_t)sizeof(m) ? 0 : -1;
}

int shim_proc_events_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
	int size = 4 << 20;

	if (fd < 0)
		return -1;
	/* Every fork on the machine arrives: room for bursts. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    proc_listen(fd, PROC_CN_MCAST_LISTEN) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void shim_proc_events_close(int fd)
{
	if (fd < 0)
		return;
	proc_listen(fd, PROC_CN_MCAST_IGNORE);
	close(fd);
}

int shim_proc_events_read(int fd, int *parent, int *child)
{
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct cn_msg *cn;
	struct proc_event ev;

	if (n < 0)
		return errno == ENOBUFS ? 0 : -1; /* overrun: /proc is asked instead */
	if ((size_t)n < NLMSG_HDRLEN + sizeof(*cn) + sizeof(ev) || !NLMSG_OK(h, (size_t)n))
		return 0;
	cn = NLMSG_DATA(h);
	/* Copied out: the event sits 4-aligned after cn_msg, and it holds
	 * a 64-bit field. */
	memcpy(&ev, cn->data, sizeof(ev));
	if (ev.what != PROC_EVENT_FORK)
		return 0;
	*parent = ev.event_data.fork.parent_tgid;
	*child = ev.event_data.fork.child_tgid;
	return 1;
}
